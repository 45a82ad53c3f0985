"""Deliver events by Web Push to addressees without an open websocket.

Runs on its own worker thread (a greenlet under gevent), fed by the broker after commit, so a
slow or unreachable push service never delays websocket delivery or the request that raised
the event."""
from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, or_, select, update

from services.clock import Clock
from services.db import Database
from services.events.audience import addressed_user_ids
from services.events.log import Envelope, envelope_of
from services.events.models import Event
from services.push.models import PushSubscription
from services.push.subscriptions import subscriptions_of

log = logging.getLogger(__name__)

GONE = {404, 410}  # the push service says this subscription no longer exists
STRANDED_AFTER = timedelta(seconds=10)  # pending this long: the process that had it is gone
CLAIM_EXPIRES = timedelta(seconds=60)  # a claim this old belonged to a process that died


@dataclass(frozen=True)
class PushMessage:
    data: bytes
    ttl: int
    urgency: str  # RFC 8030: very-low | low | normal | high


class PushTransport(Protocol):
    def send(self, subscription: dict, message: PushMessage) -> int:
        """Deliver to one subscription; returns the push service's HTTP status."""


def push_message(envelope: Envelope, ttl: int) -> PushMessage:
    """Only what a notification needs travels through the push service: it is a third party,
    and the payload is limited to about 4 KB. `alarm_id` lets the service worker confirm
    receipt of an alarm without waiting for the app to open."""
    msg = envelope.message
    payload = {"id": msg["id"], "type": msg["type"], "title": msg["title"],
               "body": msg["body"], "urgent": msg["urgent"], "url": "/"}
    alarm = msg["data"].get("alarm")
    if alarm:
        payload["alarm_id"] = alarm["id"]
    data = json.dumps(payload, ensure_ascii=False).encode()
    return PushMessage(data=data, ttl=ttl, urgency="high" if envelope.urgent else "normal")


def _created_at(envelope: Envelope) -> datetime:
    return datetime.fromisoformat(envelope.message["created_at"].replace("Z", "+00:00"))


def _failing_since(subscription: PushSubscription, created: datetime) -> bool:
    """This device failed since the event was made and has not succeeded since."""
    failed, succeeded = subscription.last_failure_at, subscription.last_success_at
    return (failed is not None and failed >= created
            and (succeeded is None or succeeded < failed))


class PushDispatcher:
    def __init__(self, db: Database, clock: Clock, transport: PushTransport,
                 is_online: Callable[[int], bool], ttl: int,
                 on_results: Callable[[Envelope, list[tuple[int, int]]], None] | None = None):
        self.on_results = on_results  # told (user id, status) per device, e.g. for a timeline
        self.db = db
        self.clock = clock
        self.transport = transport
        self.is_online = is_online
        self.ttl = ttl
        self._queue: queue.Queue[Envelope | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        # Events waiting here: the sweep finds them "stranded" too while the sender is busy,
        # and queueing them again would only cost a failed claim (a write) each.
        self._waiting: set[int] = set()
        self._waiting_lock = threading.Lock()

    def enqueue(self, envelope: Envelope) -> bool:
        """Queue a push; False when this event is already waiting."""
        with self._waiting_lock:
            if envelope.id in self._waiting:
                return False
            self._waiting.add(envelope.id)
        self._queue.put(envelope)
        return True

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="push-dispatcher", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while (envelope := self._queue.get()) is not None:
            with self._waiting_lock:
                self._waiting.discard(envelope.id)
            try:
                self.deliver(envelope)
            except Exception:
                log.exception("push delivery failed for event %s", envelope.id)

    def deliver(self, envelope: Envelope) -> dict[int, int]:
        """Push to every device of every offline addressee; returns status per subscription.
        The event's row is claimed first, so two processes never push the same event."""
        retry = self._claim(envelope.id) if envelope.push else None
        if retry is None:
            return {}
        created = _created_at(envelope)
        with self.db.reader() as uow:
            user_ids = {uid for uid in addressed_user_ids(uow.session, envelope.audience)
                        if envelope.push_always or not self.is_online(uid)}
            targets = [(s.id, s.user_id, s.info())
                       for s in subscriptions_of(uow.session, user_ids)
                       if not retry or _failing_since(s, created)]
        message = push_message(envelope, self.ttl)
        results = {sub_id: self._send(info, message) for sub_id, _, info in targets}
        self._record(envelope, results)
        if self.on_results and targets:
            self.on_results(envelope, [(user_id, results[sub_id]) for sub_id, user_id, _ in targets])
        return results

    def _send(self, info: dict, message: PushMessage) -> int:
        try:
            return self.transport.send(info, message)
        except Exception:  # unreachable push service: a failure (urgent pushes are retried)
            log.warning("push to %s failed", info["endpoint"][:60], exc_info=True)
            return 0

    def _claim(self, event_id: int) -> bool | None:
        """None when another process has it or it was sent; else whether this is a retry."""
        now = self.clock.now()
        with self.db.uow() as uow:
            before = uow.session.scalar(select(Event.push_claimed_at)
                                        .where(Event.id == event_id))
            claimed = uow.session.execute(
                update(Event).where(Event.id == event_id, Event.push_state == "pending",
                                    or_(Event.push_claimed_at.is_(None),
                                        Event.push_claimed_at < now - CLAIM_EXPIRES))
                .values(push_claimed_at=now)).rowcount == 1
        return (before is not None) if claimed else None

    def send_stranded(self) -> int:
        """Queue pushes whose event is committed but whose push never happened (the process
        stopped in between); a sweep task. Returns how many were newly queued."""
        now = self.clock.now()
        with self.db.reader() as uow:
            stranded = [envelope_of(e) for e in uow.session.scalars(
                select(Event).where(Event.push_state == "pending",
                                    Event.created_at < now - STRANDED_AFTER,
                                    or_(Event.push_claimed_at.is_(None),
                                        Event.push_claimed_at < now - CLAIM_EXPIRES))
                .order_by(Event.id).limit(100))]
        return sum(self.enqueue(envelope) for envelope in stranded)

    def _record(self, envelope: Envelope, results: dict[int, int]) -> None:
        """An urgent push that failed for a device (timeout, 5xx, 429) stays pending: the
        sweep sends it again, to the failing devices only, while its TTL lasts."""
        now = self.clock.now()
        ok = [sid for sid, status in results.items() if 200 <= status < 300]
        gone = [sid for sid, status in results.items() if status in GONE]
        failed = [sid for sid in results if sid not in ok and sid not in gone]
        retry = (envelope.urgent and failed
                 and now - _created_at(envelope) < timedelta(seconds=self.ttl))
        with self.db.uow() as uow:
            uow.session.execute(update(Event).where(Event.id == envelope.id)
                                .values(push_state="pending" if retry else "sent"))
            if gone:
                uow.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
            if ok:
                uow.session.execute(update(PushSubscription).where(PushSubscription.id.in_(ok))
                                    .values(last_success_at=now, failures=0))
            if failed:
                uow.session.execute(update(PushSubscription)
                                    .where(PushSubscription.id.in_(failed))
                                    .values(last_failure_at=now,
                                            failures=PushSubscription.failures + 1))
