"""The connections this process holds, indexed by audience key.

Dispatch never waits on a connection: a subscriber takes an event without blocking (the
websocket layer writes it into the socket at once, or into that socket's own backlog, and
cuts off one that falls too far behind: app/live.py), so a slow phone on a bad network cannot
delay an alarm to anyone else."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Protocol

from services.events.log import Envelope

log = logging.getLogger(__name__)


class Subscriber(Protocol):
    """One open connection: the user, the keys it listens to, and two calls that never wait."""

    user_id: int
    keys: frozenset[str]

    def deliver(self, envelope: Envelope) -> None:
        """Hand the event on to the client."""

    def restart(self) -> None:
        """This process stops: close, telling the client to reconnect (to another worker)."""


class Hub:
    """`on_presence(user_id, online)` is told when a user's first connection here opens and
    when their last one closes (cluster-wide presence, redis_broker.py)."""

    def __init__(self, on_presence: Callable[[int, bool], None] | None = None):
        self._lock = threading.Lock()
        self._by_key: dict[str, set[Subscriber]] = defaultdict(set)
        self._per_user: dict[int, int] = defaultdict(int)
        self._everyone: set[Subscriber] = set()
        self.on_presence = on_presence
        self.closing = False  # set by close_all: a connection opened now is closed at once

    def subscribe(self, subscriber: Subscriber) -> None:
        if self.closing:  # this worker stops: the client should go to another one
            subscriber.restart()
        with self._lock:
            for key in subscriber.keys:
                self._by_key[key].add(subscriber)
            self._everyone.add(subscriber)
            self._per_user[subscriber.user_id] += 1
            first = self._per_user[subscriber.user_id] == 1
        if first and self.on_presence is not None:
            self.on_presence(subscriber.user_id, True)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            for key in subscriber.keys:
                listeners = self._by_key.get(key)
                if listeners is not None:
                    listeners.discard(subscriber)
                    if not listeners:
                        del self._by_key[key]
            self._everyone.discard(subscriber)
            self._per_user[subscriber.user_id] -= 1
            last = self._per_user[subscriber.user_id] <= 0
            if last:
                del self._per_user[subscriber.user_id]
        if last and self.on_presence is not None:
            self.on_presence(subscriber.user_id, False)

    def subscribers(self) -> list[Subscriber]:
        with self._lock:
            return list(self._everyone)

    def close_all(self) -> int:
        """This process stops: every connection is told to close with "reconnect" now, rather
        than held open until the server's graceful timeout; returns how many."""
        self.closing = True
        everyone = self.subscribers()
        for subscriber in everyone:
            subscriber.restart()
        return len(everyone)

    def dispatch(self, envelope: Envelope) -> int:
        """Hand the event to every local subscriber it is addressed to; returns how many."""
        with self._lock:
            targets = set().union(*(self._by_key.get(key, ()) for key in envelope.audience))
        for subscriber in targets:
            try:
                subscriber.deliver(envelope)
            except Exception:  # one broken connection must not cost the others the event
                log.exception("delivery of event %s failed", envelope.id)
        return len(targets)

    def online_among(self, user_ids: set[int]) -> set[int]:
        """Those of `user_ids` with a connection here."""
        return {uid for uid in user_ids if self._per_user.get(uid, 0) > 0}
