"""Wires the domain's collaborators for one app instance (the composition root): database,
clock, event log with its message bus, broker, websocket hub, push dispatcher and the sweeper
of timed rules."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

import redis
from flask import current_app
from py_vapid import Vapid02

from app.gc_policy import GcPolicy
from services.alarms.service import escalate_due_alarms, record_push_results
from services.clock import Clock, SystemClock
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
from services.sweeper import Sweeper, every
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
    redis: redis.Redis | None = None
    presence: ClusterPresence | None = None

    def stopping(self) -> None:
        """This worker is about to stop (a rolling restart): its connections are closed with
        "reconnect" at once, and its users no longer count as online here."""
        self.hub.close_all()
        if self.presence is not None:
            self.presence.leave()

    def close(self) -> None:
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


def build_runtime(config: dict) -> Runtime:
    db = Database(config["DATABASE_URL"])
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
    transport = config.get("PUSH_TRANSPORT") or WebPushTransport(vapid, config["VAPID_SUBJECT"])
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
    tasks = [
        partial(escalate_due_alarms, db, clock, events),
        partial(escalate_overdue_visits, db, clock, events, visit_minute),
        partial(remind_visits_ending, db, clock, events),
        every(REACTION_SWEEP_SECONDS, partial(bus.handle_due, events)),
        every(FOLLOWUP_SWEEP_SECONDS, partial(remind_aftercare_due, db, events, clock)),
        every(FOLLOWUP_SWEEP_SECONDS, partial(warn_inspectorate_overdue, db, events, clock)),
        every(FOLLOWUP_SWEEP_SECONDS, partial(remind_written_inspectorate, db, events, clock)),
        pusher.send_due,
    ]
    if presence is not None:
        tasks.append(every(ClusterPresence.RENEW_SECONDS, presence.renew))
    if config.get("GC_POLICY", True):  # the server's; tests leave the collector alone
        tasks.append(GcPolicy().maintain)
    sweeper = Sweeper(tasks, interval=config["SWEEP_SECONDS"], ready=partial(is_current, db.engine))
    try:
        relay.start()
    except Exception as error:  # no database or schema yet (a first start): from the first event
        log.warning("relay starts without the event log: %s", type(error).__name__)
    if isinstance(broker, RedisBroker):
        broker.start()
    pusher.start()
    sweeper.start()
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
    )


def runtime() -> Runtime:
    return current_app.extensions["veldwacht"]
