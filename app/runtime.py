"""Wires the domain's collaborators for one app instance (the composition root): database,
clock, event log with its message bus, broker, websocket hub, push dispatcher and the sweeper
of timed rules."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

import gevent
import redis
from flask import current_app
from gevent import monkey
from py_vapid import Vapid02

from app.gc_policy import GcPolicy
from app.live import Pacemaker
from services.accounts.mfa import MfaPolicy, SecretBox
from services.accounts.signin import IdleLimits, forget_old_failures
from services.alarms.service import escalate_due_alarms, record_push_results, rehearse_raise
from services.clock import Clock, SystemClock, iso
from services.db import Database
from services.events.broker import InProcessBroker
from services.events.hub import Hub
from services.events.log import EventLog
from services.events.redis_broker import ClusterPresence, RedisBroker
from services.events.redis_broker import connect as connect_redis
from services.events.relay import Relay
from services.followup.letters import Organisation
from services.followup.service import (
    remind_aftercare_due,
    remind_written_inspectorate,
    warn_inspectorate_overdue,
)
from services.migrate import is_current
from services.push.dispatcher import PushDispatcher
from services.push.webpush import WebPushTransport, ensure_vapid_key
from services.reactions import message_bus
from services.retention import RetentionPolicy, sweep_round
from services.sweeper import Sweeper, every, every_until_done
from services.visits.overdue import escalate_overdue_visits, remind_visits_ending


@dataclass
class Runtime:
    db: Database
    clock: Clock
    hub: Hub
    broker: InProcessBroker | RedisBroker
    relay: Relay
    events: EventLog
    pusher: PushDispatcher
    sweeper: Sweeper
    vapid: Vapid02
    visit_minute: timedelta
    organisation: Organisation
    pacemaker: Pacemaker
    idle_limits: IdleLimits
    mfa_box: SecretBox
    mfa_policy: MfaPolicy
    retention: RetentionPolicy
    gc: GcPolicy | None = None  # the server's; tests leave the collector alone
    redis: redis.Redis | None = None
    presence: ClusterPresence | None = None

    def stopping(self) -> None:
        """This worker is about to stop (a rolling restart): its connections are closed with
        "reconnect" at once, and its users no longer count as online here."""
        self.hub.close_all()
        if self.presence is not None:
            self.presence.leave()

    def close(self) -> None:
        self.pacemaker.stop()
        self.sweeper.stop()
        self.pusher.stop()
        if isinstance(self.broker, RedisBroker):
            self.broker.stop()
        self.db.dispose()


log = logging.getLogger(__name__)

# Follow-up timers are days (aftercare) and a day (Inspectie SZW); half a minute late is fine.
FOLLOWUP_SWEEP_SECONDS = 30
# Reactions normally run right after their commit; the sweep catches a failed or crashed one.
REACTION_SWEEP_SECONDS = 5


FORGET_FAILURES_SECONDS = 3600  # failed logins older than signin.KEEP_FAILURES go hourly
RETENTION_SECONDS = 3600  # what is past its retention period goes hourly, a batch a sweep
VISIT_SWEEPS_PER_MINUTE = 12
# SQLite's WAL is copied into the database file this often, so it stays a few MB at most.
CHECKPOINT_SECONDS = 2


def off_the_loop(work: Callable[[], object]) -> object:
    """Run `work` (C code that releases the GIL: SQLite's checkpoint, its disk writes and
    fsync) in a native thread of gevent's pool, so the loop (alarms) runs meanwhile. Without
    gevent (in-process tests) the caller is a thread of its own already."""
    if monkey.is_module_patched("threading"):
        return gevent.get_hub().threadpool.apply(work)
    return work()


def build_runtime(config: dict) -> Runtime:
    db = Database(config["DATABASE_URL"], background_checkpoints=True)
    clock = config.get("CLOCK") or SystemClock()
    hub = Hub()
    relay = Relay(db, hub.dispatch)
    client = presence = None
    if config.get("REDIS_URL"):  # several workers: fan-out and presence through Redis
        client = connect_redis(config["REDIS_URL"])
        broker = RedisBroker(client, config["REDIS_PREFIX"], relay)
        presence = ClusterPresence(client, config["REDIS_PREFIX"], hub.online_among)
        hub.on_presence = presence.changed
    else:
        broker = InProcessBroker()
        broker.listen(relay.offer)
    vapid = ensure_vapid_key(Path(config["VAPID_KEY_PATH"]))
    transport = config.get("PUSH_TRANSPORT") or WebPushTransport(
        vapid,
        config["VAPID_SUBJECT"],
        hosts=config["PUSH_HOSTS"],
        allow_http=config["PUSH_ALLOW_HTTP"],
    )
    pusher = PushDispatcher(
        db,
        clock,
        transport,
        presence.online_among if presence else hub.online_among,
        ttl=config["PUSH_TTL_SECONDS"],
        on_results=partial(record_push_results, clock),
    )
    broker.listen(pusher.enqueue)  # in the publishing worker only
    bus = message_bus(db, clock)
    events = EventLog(clock, broker, bus)
    visit_minute = timedelta(seconds=config["VISIT_MINUTE_SECONDS"])
    retention = RetentionPolicy(**config["RETENTION"])
    # Visit timers are whole minutes: looked for every twelfth of one (5 s), not every second.
    visit_sweep = config["VISIT_MINUTE_SECONDS"] / VISIT_SWEEPS_PER_MINUTE
    tasks = [
        partial(escalate_due_alarms, db, clock, events),
        every(visit_sweep, partial(escalate_overdue_visits, db, clock, events, visit_minute)),
        every(visit_sweep, partial(remind_visits_ending, db, clock, events)),
        every(REACTION_SWEEP_SECONDS, partial(bus.handle_due, events)),
        every(FOLLOWUP_SWEEP_SECONDS, partial(remind_aftercare_due, db, events, clock)),
        every(FOLLOWUP_SWEEP_SECONDS, partial(warn_inspectorate_overdue, db, events, clock)),
        every(FOLLOWUP_SWEEP_SECONDS, partial(remind_written_inspectorate, db, events, clock)),
        every(FORGET_FAILURES_SECONDS, partial(forget_old_failures, db, clock)),
        every_until_done(RETENTION_SECONDS, partial(sweep_round, db, clock, retention)),
        pusher.send_due,
    ]
    if presence is not None:
        tasks.append(every(ClusterPresence.RENEW_SECONDS, presence.renew))
    if not db.postgres:
        tasks.append(every(CHECKPOINT_SECONDS, partial(off_the_loop, db.checkpoint)))
    gc_policy = GcPolicy() if config.get("GC_POLICY", True) else None
    if gc_policy is not None:
        tasks.append(gc_policy.maintain)
    sweeper = Sweeper(tasks, interval=config["SWEEP_SECONDS"], ready=partial(is_current, db.engine))
    try:
        relay.start()
    except Exception as error:  # no database or schema yet (a first start): from the first event
        log.warning("relay starts without the event log: %s", type(error).__name__)
    if isinstance(broker, RedisBroker):
        broker.start()
    pusher.start()
    sweeper.start()
    pacemaker = Pacemaker(
        hub,
        lambda: iso(clock.now()),
        heartbeat=config["HEARTBEAT_SECONDS"],
        ping=config["WS_PING_SECONDS"],
    )
    pacemaker.start()
    return Runtime(
        db=db,
        clock=clock,
        hub=hub,
        broker=broker,
        relay=relay,
        redis=client,
        presence=presence,
        events=events,
        pusher=pusher,
        sweeper=sweeper,
        vapid=vapid,
        visit_minute=visit_minute,
        organisation=Organisation(**config["ORGANISATION"]),
        pacemaker=pacemaker,
        idle_limits=IdleLimits(
            overseers=config["IDLE_LIMIT_OVERSEERS"], field=config["IDLE_LIMIT_FIELD"]
        ),
        mfa_box=SecretBox(config["SECRET_KEY"]),
        mfa_policy=MfaPolicy(roles=config["MFA_ROLES"]),
        retention=retention,
        gc=gc_policy,
    )


def warm_up(app) -> None:
    """Before a server's worker says it is ready: one request through the app and one alarm
    rehearsed and rolled back (services/alarms/service.py), so its first alarm is not slow."""
    try:
        with app.app_context():
            rt = runtime()
            app.test_client().get("/healthz")
            rehearse_raise(rt.db, rt.events, rt.clock)
    except Exception as error:  # no schema yet (a first start): the worker serves regardless
        log.warning("warm-up skipped: %s", type(error).__name__)
    gc.freeze()  # what the warm-up loaded stays for good


def runtime() -> Runtime:
    return current_app.extensions["veldwacht"]
