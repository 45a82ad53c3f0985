"""Deliver events by Web Push to addressees without an open websocket, one delivery per device.

After commit the broker hands an event to `enqueue`. The dispatcher's thread (a greenlet under
gevent) *expands* it: it works out which devices to reach and, in one transaction, marks the
event expanded and stores a claimed delivery row per device (`push_deliveries`). Each send
then runs on its own in a pool, with a short timeout, so a hanging push endpoint holds up
neither another device nor the next event. Results are written in batches by a recorder.

A sweep task (`send_due`) covers everything that did not go to plan: an event a stopped
process never expanded, a delivery whose sender died (its claim expires), an urgent push due
for another try. Every process sweeps; rows are claimed under their row locks with SKIP
LOCKED, so several processes can sweep at once, still send each device's push once, and never
wait for one another; a device whose push service accepted it is never sent it again."""

from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from services.accounts.audience import addressed_user_ids
from services.clock import Clock
from services.db import Database, insert_rows
from services.events.links import screen_link
from services.events.log import Envelope, envelope_of
from services.events.models import Event
from services.push.endpoints import RefusedEndpoint
from services.push.models import PushDelivery, PushSubscription
from services.push.retry import GONE, REFUSED, outcome_of
from services.push.subscriptions import subscriptions_of

log = logging.getLogger(__name__)

STRANDED_AFTER = timedelta(seconds=5)  # still not expanded: the process that had it is gone
CLAIM_EXPIRES = timedelta(seconds=10)  # longer than a send may take (webpush.SEND_TIMEOUT)
SEND_CONCURRENCY = 64  # sends in flight per process; more wait their turn in the pool
SWEEP_BATCH = 200


@dataclass(frozen=True)
class PushMessage:
    data: bytes
    ttl: int
    urgency: str  # RFC 8030: very-low | low | normal | high
    topic: str  # RFC 8030: a newer message with the same topic replaces one not yet delivered


class PushTransport(Protocol):
    def send(self, subscription: dict, message: PushMessage) -> int:
        """Deliver to one subscription; returns the push service's HTTP status."""


def push_message(envelope: Envelope, ttl: int) -> PushMessage:
    """Only what a notification needs travels through the push service: it is a third party,
    and the payload is limited to about 4 KB. `alarm_id` lets the service worker confirm
    receipt of an alarm without waiting for the app to open."""
    msg = envelope.message
    payload = {
        "id": msg["id"],
        "type": msg["type"],
        "title": msg["title"],
        "body": msg["body"],
        "urgent": msg["urgent"],
        "url": screen_link(msg["type"], msg["data"]),
    }
    alarm = msg["data"].get("alarm")
    if alarm:
        payload["alarm_id"] = alarm["id"]
    data = json.dumps(payload, ensure_ascii=False).encode()
    topic = f"alarm-{alarm['id']}" if alarm else f"event-{msg['id']}"
    return PushMessage(
        data=data, ttl=ttl, urgency="high" if envelope.urgent else "normal", topic=topic
    )


def _created_at(envelope: Envelope) -> datetime:
    return datetime.fromisoformat(envelope.message["created_at"].replace("Z", "+00:00"))


@dataclass(frozen=True)
class Claimed:
    """A delivery this process has claimed and is about to send."""

    event_id: int
    subscription_id: int
    user_id: int
    subscription: dict  # endpoint and keys
    attempts: int
    claim: str


# told, inside the recorder's transaction, what became of an event's sends:
# (session, the event's message, [(user id, status, retried later)])
ResultHook = Callable[[Session, dict, list[tuple[int, int, bool]]], None]


class PushDispatcher:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        transport: PushTransport,
        online_among: Callable[[set[int]], set[int]],
        *,
        ttl: int,
        on_results: ResultHook | None = None,
        concurrency: int = SEND_CONCURRENCY,
    ):
        self.db = db
        self.clock = clock
        self.transport = transport
        self.online_among = online_among  # who of these has an open app (one question)
        self.ttl = ttl
        self.on_results = on_results
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="push")
        self._queue: queue.Queue[Envelope | None] = queue.Queue()
        self._results: queue.Queue[tuple[Claimed, Envelope, int] | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._in_flight: set[Future] = set()
        self._in_flight_lock = threading.Lock()
        # Events waiting here: the sweep finds them "stranded" too while the sender is busy,
        # and queueing them again would only cost a failed claim (a write) each.
        self._waiting: set[int] = set()
        self._waiting_lock = threading.Lock()

    # ---- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        if not self._threads:
            self._threads = [
                threading.Thread(target=self._run, name="push-dispatcher", daemon=True),
                threading.Thread(target=self._record_loop, name="push-recorder", daemon=True),
            ]
            for thread in self._threads:
                thread.start()

    def stop(self) -> None:
        if self._threads:
            self._queue.put(None)
            self._threads[0].join(timeout=5)
            self._pool.shutdown(wait=True, cancel_futures=False)
            self._results.put(None)
            self._threads[1].join(timeout=5)
            self._threads = []

    def enqueue(self, envelope: Envelope) -> bool:
        """Queue a push (the broker's listener); False when this event is already waiting."""
        with self._waiting_lock:
            if envelope.id in self._waiting:
                return False
            self._waiting.add(envelope.id)
        self._queue.put(envelope)
        return True

    def _run(self) -> None:
        while (envelope := self._queue.get()) is not None:
            with self._waiting_lock:
                self._waiting.discard(envelope.id)
            try:
                self.deliver(envelope)
            except Exception:
                log.exception("push delivery failed for event %s", envelope.id)

    # ---- expanding an event into deliveries -------------------------------------------

    def deliver(self, envelope: Envelope) -> int:
        """Expand the event into one claimed delivery per device and start sending them;
        returns how many sends were started. Only one process expands an event."""
        if not envelope.push:
            return 0
        claimed = self._expand(envelope)
        for delivery in claimed:
            self._submit(delivery, envelope)
        return len(claimed)

    def _expand(self, envelope: Envelope) -> list[Claimed]:
        now = self.clock.now()
        if now - _created_at(envelope) >= timedelta(seconds=self.ttl):
            self._set_event_state(envelope.id, "expired")  # too old to be worth a notification
            return []
        with self.db.reader() as uow:
            user_ids = addressed_user_ids(uow.session, envelope.audience)
            if not envelope.push_always:
                user_ids -= self.online_among(user_ids)
            devices = [(s.id, s.user_id, s.info()) for s in subscriptions_of(uow.session, user_ids)]
        claim = uuid.uuid4().hex
        with self.db.uow() as uow:
            if not self._set_event_state(envelope.id, "expanded", uow.session):
                return []  # another process expanded it
            if devices:
                insert_rows(
                    uow.session,
                    PushDelivery.__table__,
                    [
                        {
                            "event_id": envelope.id,
                            "subscription_id": sid,
                            "user_id": uid,
                            "state": "pending",
                            "attempts": 1,
                            "next_try_at": now,
                            "claim": claim,
                            "claimed_at": now,
                        }
                        for sid, uid, _ in devices
                    ],
                )
        return [
            Claimed(
                event_id=envelope.id,
                subscription_id=sid,
                user_id=uid,
                subscription=info,
                attempts=1,
                claim=claim,
            )
            for sid, uid, info in devices
        ]

    def _set_event_state(self, event_id: int, state: str, session: Session | None = None) -> bool:
        """pending -> `state`: True for the one process that made the change. The event is
        locked with SKIP LOCKED: one that another process is expanding is its to finish (and
        the sweep's again should that fail), never waited for."""
        if session is None:
            with self.db.uow() as uow:
                return self._set_event_state(event_id, state, uow.session)
        pending = session.scalar(
            select(Event.id)
            .where(Event.id == event_id, Event.push_state == "pending")
            .with_for_update(key_share=True, skip_locked=True)
        )
        if pending is None:
            return False
        session.execute(update(Event).where(Event.id == event_id).values(push_state=state))
        return True

    # ---- sending ---------------------------------------------------------------------

    def _submit(self, delivery: Claimed, envelope: Envelope) -> None:
        future = self._pool.submit(self._send, delivery, envelope)
        with self._in_flight_lock:
            self._in_flight.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        with self._in_flight_lock:
            self._in_flight.discard(future)

    def _send(self, delivery: Claimed, envelope: Envelope) -> None:
        message = push_message(envelope, self.ttl)
        try:
            status = self.transport.send(delivery.subscription, message)
        except RefusedEndpoint as refused:  # no connection was made; trying again won't help
            log.warning("push refused: %s", refused)
            status = REFUSED
        except Exception:  # unreachable or hanging push service: a failure, tried again if urgent
            log.warning("push to %s failed", delivery.subscription["endpoint"][:60], exc_info=True)
            status = 0
        self._results.put((delivery, envelope, status))

    # ---- recording results -------------------------------------------------------------

    def _record_loop(self) -> None:
        while (first := self._results.get()) is not None:
            batch = [first]
            while True:  # everything that finished meanwhile goes into the same transaction
                try:
                    item = self._results.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._results.put(None)
                    break
                batch.append(item)
            try:
                self._record(batch)
            except Exception:
                log.exception("recording %d push results failed", len(batch))

    def settle(self) -> None:
        """Wait for the sends in flight and record their results (tests; shutdown)."""
        while True:
            with self._in_flight_lock:
                pending = set(self._in_flight)
            if not pending:
                break
            wait(pending)
        batch = []
        while True:
            try:
                item = self._results.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                batch.append(item)
        if batch:
            self._record(batch)

    def _record(self, batch: list[tuple[Claimed, Envelope, int]]) -> None:
        now = self.clock.now()
        per_event: dict[int, list] = defaultdict(list)
        ok, failed, gone = [], [], []
        outcomes = [
            outcome_of(
                status,
                urgent=envelope.urgent,
                attempts=delivery.attempts,
                created_at=_created_at(envelope),
                ttl=self.ttl,
                now=now,
            )
            for delivery, envelope, status in batch
        ]
        with self.db.uow() as uow:
            _lock_subscriptions(uow.session, {delivery.subscription_id for delivery, _, _ in batch})
            for (delivery, envelope, status), (state, next_try) in zip(
                batch, outcomes, strict=True
            ):
                uow.session.execute(
                    update(PushDelivery)
                    .where(
                        PushDelivery.event_id == delivery.event_id,
                        PushDelivery.subscription_id == delivery.subscription_id,
                        PushDelivery.claim == delivery.claim,
                    )
                    .values(
                        state=state,
                        last_status=status,
                        claim=None,
                        claimed_at=None,
                        next_try_at=next_try or now,
                        accepted_at=now if state == "accepted" else None,
                    )
                )
                (ok if state == "accepted" else gone if status in GONE else failed).append(
                    delivery.subscription_id
                )
                per_event[delivery.event_id].append(
                    (envelope, (delivery.user_id, status, state == "pending"))
                )
            _count_on_subscriptions(uow.session, now, ok=ok, failed=failed, gone=gone)
            if self.on_results:
                for results in per_event.values():
                    self.on_results(uow.session, results[0][0].message, [r for _, r in results])

    # ---- the sweep ---------------------------------------------------------------------

    def send_due(self) -> int:
        """A sweep task: queue events no process expanded, and send deliveries that are due
        again or whose sender died. Returns how many events and sends it started."""
        return self._queue_stranded() + self._send_due_deliveries()

    def _queue_stranded(self) -> int:
        now = self.clock.now()
        with self.db.reader() as uow:
            stranded = [
                envelope_of(e)
                for e in uow.session.scalars(
                    select(Event)
                    .where(Event.push_state == "pending", Event.created_at < now - STRANDED_AFTER)
                    .order_by(Event.id)
                    .limit(SWEEP_BATCH)
                )
            ]
        return sum(self.enqueue(envelope) for envelope in stranded)

    def _send_due_deliveries(self) -> int:
        now = self.clock.now()
        due = and_(
            PushDelivery.state == "pending",
            PushDelivery.next_try_at <= now,
            or_(PushDelivery.claimed_at.is_(None), PushDelivery.claimed_at < now - CLAIM_EXPIRES),
        )
        with self.db.reader() as uow:
            ids = list(
                uow.session.scalars(
                    select(PushDelivery.id).where(due).order_by(PushDelivery.id).limit(SWEEP_BATCH)
                )
            )
        if not ids:
            return 0
        claim = uuid.uuid4().hex
        with self.db.uow() as uow:
            # still due under the lock; those another process is claiming are its own
            ids = list(
                uow.session.scalars(
                    select(PushDelivery.id)
                    .where(PushDelivery.id.in_(ids), due)
                    .order_by(PushDelivery.id)
                    .with_for_update(key_share=True, skip_locked=True)
                )
            )
            if not ids:
                return 0
            uow.session.execute(
                update(PushDelivery)
                .where(PushDelivery.id.in_(ids))
                .values(claim=claim, claimed_at=now, attempts=PushDelivery.attempts + 1)
            )
            rows = uow.session.execute(
                select(PushDelivery, PushSubscription)
                .join(PushSubscription)
                .where(PushDelivery.claim == claim)
            ).all()
            claimed = [
                Claimed(
                    event_id=d.event_id,
                    subscription_id=d.subscription_id,
                    user_id=d.user_id,
                    subscription=s.info(),
                    attempts=d.attempts,
                    claim=claim,
                )
                for d, s in rows
            ]
            events = {
                e.id: envelope_of(e)
                for e in uow.session.scalars(
                    select(Event).where(Event.id.in_({c.event_id for c in claimed}))
                )
            }
        for delivery in claimed:
            self._submit(delivery, events[delivery.event_id])
        return len(claimed)


def _lock_subscriptions(session: Session, ids: set[int]) -> None:
    """The devices a batch of results counts on (or forgets), locked in id order before any of
    their deliveries: two processes recording at once then wait for each other in one order,
    never in a circle (forgetting a device deletes its deliveries too)."""
    if ids:
        session.execute(
            select(PushSubscription.id)
            .where(PushSubscription.id.in_(ids))
            .order_by(PushSubscription.id)
            .with_for_update()
        )


def _count_on_subscriptions(
    session: Session, now: datetime, *, ok: list[int], failed: list[int], gone: list[int]
) -> None:
    """Per device: last success and failures in a row (shown in the device list); a device
    the push service says is gone is forgotten."""
    if ok:
        session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(ok))
            .values(last_success_at=now, failures=0)
        )
    if failed:
        session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(failed))
            .values(last_failure_at=now, failures=PushSubscription.failures + 1)
        )
    if gone:
        session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
