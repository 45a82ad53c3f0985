"""The connections this process holds, indexed by audience key.

Dispatch never waits on a connection: each subscriber has its own bounded queue, and one that
falls too far behind is cut off (its client reconnects and replays from the log), so a slow
phone on a bad network cannot delay an alarm to anyone else."""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from collections.abc import Callable

from services.events.log import Envelope

SUBSCRIBER_QUEUE = 1000
RESTART = object()  # queued by `close_all`: the connection closes, its client reconnects


class Subscriber:
    """One open connection: the keys it listens to and the messages waiting to be sent."""

    def __init__(self, user_id: int, keys: frozenset[str], maxsize: int = SUBSCRIBER_QUEUE):
        self.user_id = user_id
        self.keys = keys
        self.outbox: queue.Queue = queue.Queue(maxsize=maxsize)
        self.overflowed = False

    def offer(self, item) -> None:
        if self.overflowed:
            return
        try:
            self.outbox.put_nowait(item)
        except queue.Full:
            self.overflowed = True


class Hub:
    """`on_presence(user_id, online)` is told when a user's first connection here opens and
    when their last one closes (cluster-wide presence, redis_broker.py)."""

    def __init__(self, on_presence: Callable[[int, bool], None] | None = None):
        self._lock = threading.Lock()
        self._by_key: dict[str, set[Subscriber]] = defaultdict(set)
        self._per_user: dict[int, int] = defaultdict(int)
        self.on_presence = on_presence
        self.closing = False  # set by close_all: a connection opened now is closed at once

    def subscribe(self, subscriber: Subscriber) -> None:
        if self.closing:  # this worker stops: the client should go to another one
            subscriber.offer(RESTART)
        with self._lock:
            for key in subscriber.keys:
                self._by_key[key].add(subscriber)
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
            self._per_user[subscriber.user_id] -= 1
            last = self._per_user[subscriber.user_id] <= 0
            if last:
                del self._per_user[subscriber.user_id]
        if last and self.on_presence is not None:
            self.on_presence(subscriber.user_id, False)

    def close_all(self) -> int:
        """This process stops: every connection is told to close with "reconnect" now, rather
        than held open until the server's graceful timeout; returns how many."""
        self.closing = True
        with self._lock:
            everyone = set().union(*self._by_key.values())
        for subscriber in everyone:
            subscriber.offer(RESTART)
        return len(everyone)

    def dispatch(self, envelope: Envelope) -> int:
        """Queue the event for every local subscriber it is addressed to; returns how many."""
        with self._lock:
            targets = set().union(*(self._by_key.get(key, ()) for key in envelope.audience))
        for subscriber in targets:
            subscriber.offer(envelope)
        return len(targets)

    def online_among(self, user_ids: set[int]) -> set[int]:
        """Those of `user_ids` with a connection here."""
        return {uid for uid in user_ids if self._per_user.get(uid, 0) > 0}
