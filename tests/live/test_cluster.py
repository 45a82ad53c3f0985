"""Several workers on one PostgreSQL database, sharing live events through Redis: each "worker"
here is a server of its own (its own port, so a test can choose where a phone is connected),
all on one database and one Redis, as gunicorn's workers are. What a user would notice: an
alarm raised on one worker reaches a phone on another at once, and by push only those whose
app is open nowhere; nothing is lost or doubled when Redis restarts or a worker dies."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter

import pytest

from ops.servers import Redis, free_port
from services.clock import SystemClock
from services.db import Database
from services.events.log import EventLog
from services.events.redis_broker import RedisBroker
from services.events.redis_broker import connect as connect_redis
from services.events.relay import Relay
from tests.conftest import ON_POSTGRES, start_server, user_id_at
from tests.live.pushservice import BrowserSubscription
from tests.live.wsclient import connect, receive_until

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="several workers need PostgreSQL+Redis")


class Cluster:
    def __init__(self, folder, template_db, backend):
        self.db_url = backend.copy(template_db, folder)
        self.redis = Redis(folder / "redis", free_port()).start()  # its own: restarted below
        self.prefix = f"cluster-{uuid.uuid4().hex[:8]}"
        env = {
            "REDIS_URL": self.redis.url,
            "VELDWACHT_REDIS_PREFIX": self.prefix,
            "WEB_CONCURRENCY": "1",
            "SECRET_KEY": uuid.uuid4().hex,  # one for all workers: a session is valid on each
        }
        self.workers = []
        for name in ("a", "b"):
            (folder / name).mkdir()
            self.workers.append(
                start_server(folder / name, template_db, backend, db_url=self.db_url, **env)
            )

    @property
    def a(self):
        return self.workers[0]

    @property
    def b(self):
        return self.workers[1]

    def stop(self):
        for worker in self.workers:
            worker.stop()
        self.redis.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, template_db, backend):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"), template_db, backend)
    yield cluster
    cluster.stop()


def socket_on(worker, http, since: int = 0):
    ws = connect(worker.live, http, since=since)
    receive_until(ws, "ready")
    return ws


def events_until(ws, done, timeout: float) -> list[dict]:
    """Every event the socket receives until `done(events)` or the timeout."""
    events, deadline = [], time.monotonic() + timeout
    while not done(events) and time.monotonic() < deadline:
        raw = ws.receive(timeout=max(0.05, deadline - time.monotonic()))
        if raw is not None and (message := json.loads(raw))["type"] == "event":
            events.append(message["event"])
    return events


def raise_alarm(http, base) -> int:
    raised = http.post(f"{base}/api/alarms", json={"client_id": str(uuid.uuid4())})
    assert raised.status_code == 201, raised.text
    return raised.json()["alarm"]["id"]


def cancel(http, base, alarm_id) -> None:
    assert http.post(f"{base}/api/alarms/{alarm_id}/cancel", json={"pin": "4826"}).ok


def test_an_alarm_raised_on_one_worker_is_live_on_another_and_pushed_only_to_closed_apps(
    cluster, push_service
):
    a = cluster.a.live
    manager, colleague, raiser = a.session("lisa"), a.session("mohammed"), a.session("sanne")
    assert colleague.put(f"{a.url}/api/me/duty", json={"on_duty": True}).ok
    for http, device in ((manager, "lisa-phone"), (colleague, "mohammed-phone")):
        browser = BrowserSubscription(f"{push_service.origin}/push/{device}")
        assert http.post(f"{a.url}/api/push/subscriptions", json=browser.to_json()).ok
    ws = socket_on(cluster.b, manager)  # the manager's app is open, on worker B
    time.sleep(0.2)  # presence is shared as the socket opens

    started = time.monotonic()
    alarm_id = raise_alarm(raiser, a.url)  # raised through worker A
    (event,) = events_until(ws, lambda got: any(e["type"] == "alarm.raised" for e in got), 3)
    assert event["type"] == "alarm.raised" and event["data"]["alarm"]["id"] == alarm_id
    assert time.monotonic() - started < 1.0  # live, not the app's 60 s poll

    # mohammed has no app open anywhere: his phone gets the push; lisa's app is open on B
    (pushed,) = push_service.wait_for(1, timeout=5)
    assert pushed["path"] == "/push/mohammed-phone"
    time.sleep(1.5)
    assert [r["path"] for r in push_service.received] == ["/push/mohammed-phone"]
    ws.close()
    cancel(raiser, a.url, alarm_id)


def test_events_are_given_ids_in_commit_order_so_a_reconnect_between_two_commits_misses_none(
    cluster,
):
    """The hazard: a transaction takes id 10, another takes 11 and commits first; a client
    that reads 11 and reconnects "after 11" never sees 10. Here the first transaction holds
    its id and stalls before its commit; the second must not commit an id above it meanwhile,
    and a client that reconnects in between gets both events, once each."""
    b = cluster.b.live
    manager = b.session("lisa")
    lisa = user_id_at(cluster.db_url, "lisa")
    db = Database(cluster.db_url)
    client = connect_redis(cluster.redis.url)
    log = EventLog(SystemClock(), RedisBroker(client, cluster.prefix, Relay(db, lambda _: None)))
    ws = socket_on(cluster.b, manager)
    first_has_id, release_first, order = threading.Event(), threading.Event(), []

    def transaction(title, stall):
        with db.uow() as uow:
            log.record(uow, type="message", audience={f"user:{lisa}"}, title=title)
            if stall:  # runs after the log gave this transaction its event id
                uow.before_commit(lambda: (first_has_id.set(), release_first.wait(10)))
        order.append(title)

    first = threading.Thread(target=transaction, args=("eerste", True))
    first.start()
    assert first_has_id.wait(5)
    second = threading.Thread(target=transaction, args=("tweede", False))
    second.start()
    time.sleep(0.5)
    assert order == []  # the second waits for the first's commit

    _, ready = receive_until(ws, "heartbeat", timeout=3)
    ws.close()  # the phone reconnects in between
    last_seen = ready.get("last_id", 0)
    release_first.set()
    first.join(5)
    second.join(5)
    assert order == ["eerste", "tweede"]

    again = connect(b, manager, since=last_seen)
    got = events_until(again, lambda got: len(got) >= 2, 5)
    got += events_until(again, lambda _: False, 1.0)  # and nothing more
    titles = [e["title"] for e in got if e["type"] == "message"]
    assert titles == ["eerste", "tweede"]
    assert got[0]["id"] < got[1]["id"]
    again.close()
    db.dispose()


def test_when_redis_restarts_every_socket_still_gets_every_event_once(cluster, push_service):
    a, b = cluster.a.live, cluster.b.live
    sender = a.session("sanne")
    team = sender.get(f"{a.url}/api/me").json()["team"]["id"]
    phone = BrowserSubscription(f"{push_service.origin}/push/mohammed-closed-app")
    assert a.session("mohammed").post(f"{a.url}/api/push/subscriptions", json=phone.to_json()).ok
    listeners = {
        "a": socket_on(cluster.a, a.session("lisa")),
        "b": socket_on(cluster.b, b.session("anouk")),
    }
    sent, stop = [], threading.Event()

    def send():
        n = 0
        while not stop.is_set():
            base = (a.url, b.url)[n % 2]
            answer = sender.post(f"{base}/api/messages", json={"team_id": team, "text": f"m{n}"})
            if answer.status_code == 201:
                sent.append(answer.json()["event"]["id"])
            n += 1
            time.sleep(0.05)

    sending = threading.Thread(target=send)
    sending.start()
    received = {name: [] for name in listeners}
    readers = [
        threading.Thread(
            target=lambda n=name, ws=ws: received[n].extend(
                events_until(ws, lambda _: stop.is_set() and len(received[n]) >= len(sent), 30)
            )
        )
        for name, ws in listeners.items()
    ]
    for reader in readers:
        reader.start()
    time.sleep(1.0)
    cluster.redis.stop()  # every worker's subscription breaks; publishing fails
    time.sleep(1.5)
    cluster.redis.start()
    time.sleep(3.0)
    stop.set()
    sending.join()
    for reader in readers:
        reader.join(timeout=35)
    assert len(sent) > 40
    for name, events in received.items():
        ids = [e["id"] for e in events if e["type"] == "message.sent"]
        assert Counter(ids) == Counter(sent), name  # every one, none twice
        assert ids == sorted(ids), name  # and in order
    for ws in listeners.values():
        ws.close()
    # mohammed's app is closed: his phone got each message by push, once
    push_service.wait_for(len(sent), timeout=15)
    time.sleep(1.0)  # and no second one after
    assert Counter(phone.decrypt(p["body"])["id"] for p in push_service.received) == Counter(sent)


def test_a_worker_killed_during_an_alarm_loses_nothing_and_skips_or_repeats_no_step(cluster):
    a, b = cluster.a, cluster.b
    coordinator, worker = b.live.session("coordinator"), a.live.session("kim")
    team = worker.get(f"{a.live.url}/api/me").json()["team"]["id"]
    policy_url = f"{b.live.url}/api/teams/{team}/escalation-policy"
    policy = coordinator.get(policy_url).json()
    steps = [
        {"after_seconds": 0, "targets": ["team_on_duty", "manager"]},
        {"after_seconds": 3, "targets": ["coordinator"]},
        {"after_seconds": 6, "targets": ["all_on_duty"]},
    ]
    answer = coordinator.put(policy_url, json={"alarm_steps": steps, "overdue": policy["overdue"]})
    assert answer.ok, answer.text

    alarm_id = raise_alarm(worker, a.live.url)
    time.sleep(2.9)
    a.kill()  # SIGKILL as step 2 falls due: no shutdown code runs
    time.sleep(1.0)
    a.restart()
    time.sleep(4.5)
    alarm = coordinator.get(f"{b.live.url}/api/alarms/{alarm_id}").json()
    assert alarm["alarm"]["state"] == "open" and alarm["alarm"]["escalation_step"] == 3
    escalations = [e["label"] for e in alarm["timeline"] if e["kind"] == "escalated"]
    assert escalations == [  # steps 2 and 3, each once, in order
        "Opgeschaald naar stap 2: niemand had bevestigd",
        "Opgeschaald naar stap 3: niemand had bevestigd",
    ]
    cancel(a.live.session("kim"), b.live.url, alarm_id)
