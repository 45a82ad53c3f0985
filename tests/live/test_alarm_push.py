"""An alarm reaches every device of a responder whose app is closed, by Web Push, whatever one
device or a crash does: sends to different devices run side by side, a failed one is tried again
within seconds, and after a SIGKILL every device whose push service had not accepted the alarm
gets it — and none gets it twice."""

import time
import uuid

import pytest
from sqlalchemy import select

from services.db import Database
from services.events.models import Event
from services.push.models import PushDelivery, PushSubscription
from tests.conftest import start_server
from tests.live.pushservice import BrowserSubscription


@pytest.fixture(scope="module")
def server(tmp_path_factory, template_db, backend):
    own = start_server(tmp_path_factory.mktemp("alarm-push"), template_db, backend)
    yield own
    own.stop()


def wait_until(found, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (result := found()):
        assert time.monotonic() < deadline, f"{what} not within {timeout} s"
        time.sleep(0.02)
    return result


def subscribe_devices(http, base, push_service, names) -> dict[str, BrowserSubscription]:
    devices = {name: BrowserSubscription(f"{push_service.origin}/push/{name}") for name in names}
    for device in devices.values():
        assert http.post(f"{base}/api/push/subscriptions", json=device.to_json()).status_code == 201
    return devices


def raise_alarm(http, base) -> tuple[int, float]:
    started = time.monotonic()
    raised = http.post(f"{base}/api/alarms", json={"client_id": str(uuid.uuid4())})
    assert raised.status_code == 201, raised.text
    return raised.json()["alarm"]["id"], started


def delivery_states(db_url: str, alarm_id: int) -> dict[str, str]:
    """Per device (the endpoint's last part): the state of the alarm.raised push, as stored."""
    database = Database(db_url)
    try:
        with database.reader() as uow:
            rows = uow.session.execute(
                select(PushSubscription.endpoint, PushDelivery.state, Event.data)
                .join(PushSubscription, PushSubscription.id == PushDelivery.subscription_id)
                .join(Event, Event.id == PushDelivery.event_id)
                .where(Event.type == "alarm.raised")
            ).all()
    finally:
        database.dispose()
    return {
        endpoint.rsplit("/", 1)[1]: state
        for endpoint, state, data in rows
        if data["alarm"]["id"] == alarm_id
    }


def test_a_hanging_device_delays_no_other_and_a_failed_one_gets_it_on_the_retry(
    server, push_service
):
    base = server.live.url
    manager, worker = server.live.session("peter"), server.live.session("kim")
    push_service.hang_first.add("/push/hangs")
    push_service.fail_once["/push/flaky"] = 500
    devices = subscribe_devices(manager, base, push_service, ("hangs", "flaky", "healthy"))

    alarm_id, raised_at = raise_alarm(worker, base)

    (healthy,) = wait_until(lambda: push_service.accepted("/push/healthy"), 5, "healthy push")
    assert healthy["answered_at"] - raised_at < 1.0  # the hanging device held nothing up
    assert healthy["headers"]["urgency"] == "high"
    assert healthy["headers"]["topic"] == f"alarm-{alarm_id}"
    payload = devices["healthy"].decrypt(healthy["body"])
    assert (payload["type"], payload["alarm_id"]) == ("alarm.raised", alarm_id)

    (flaky,) = wait_until(lambda: push_service.accepted("/push/flaky"), 6, "flaky retry")
    first = next(r for r in push_service.received if r["path"] == "/push/flaky")
    assert first["status"] == 500
    assert 1.5 < flaky["answered_at"] - first["answered_at"] < 4.5  # the first retry, at ~2 s
    assert devices["flaky"].decrypt(flaky["body"])["alarm_id"] == alarm_id

    # the hanging device: the server gave up after its 5 s timeout and tried again
    (late,) = wait_until(lambda: push_service.accepted("/push/hangs"), 15, "retry after a hang")
    assert devices["hangs"].decrypt(late["body"])["alarm_id"] == alarm_id
    all_accepted = {"hangs": "accepted", "flaky": "accepted", "healthy": "accepted"}
    wait_until(
        lambda: delivery_states(server.live.db_url, alarm_id) == all_accepted,
        5,
        "all three stored as accepted",
    )  # the server records right after the 201

    timeline = (
        server.live.session("coordinator").get(f"{base}/api/alarms/{alarm_id}").json()["timeline"]
    )
    pushes = [e["label"] for e in timeline if e["kind"].startswith("push_")]
    assert "Push naar Peter Bakker mislukt (500), nieuwe poging volgt" in pushes
    assert pushes.count("Verstuurd via push naar Peter Bakker") == 3


def test_after_a_sigkill_every_device_not_yet_accepted_gets_the_push_once(server, push_service):
    base = server.live.url
    manager, worker = server.live.session("henk"), server.live.session("joost")
    push_service.hang_first.update({"/push/second", "/push/third"})
    devices = subscribe_devices(manager, base, push_service, ("first", "second", "third"))

    alarm_id, _ = raise_alarm(worker, base)
    # one push service has taken it (and the server stored that); two are still sending
    wait_until(
        lambda: delivery_states(server.live.db_url, alarm_id).get("first") == "accepted",
        5,
        "first device accepted",
    )
    server.kill()
    push_service.release.set()  # the hung requests' sender is dead: their answers go nowhere
    server.restart()

    for name in ("second", "third"):
        (push,) = wait_until(
            lambda path=f"/push/{name}": push_service.accepted(path),
            30,
            f"{name} after the restart",
        )
        assert devices[name].decrypt(push["body"])["alarm_id"] == alarm_id
    time.sleep(3)  # a few sweeps later: nothing is sent again
    assert [len(push_service.accepted(f"/push/{n}")) for n in devices] == [1, 1, 1]
    wait_until(
        lambda: (
            delivery_states(server.live.db_url, alarm_id)
            == {"first": "accepted", "second": "accepted", "third": "accepted"}
        ),
        5,
        "stored accepted",
    )
