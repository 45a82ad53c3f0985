"""Live fan-out across workers through Redis pub/sub, and who has an open app anywhere.

The publishing worker sends each committed event to one channel; every worker (itself too)
receives it there and hands it to its own connections through its relay (relay.py), which puts
events in id order and reads from the database whatever pub/sub lost. Pub/sub is at most once:
a subscriber that reconnected, or one whose connection died without a word (python-socketio
#1581 had a worker deaf for a day), misses messages. So the relay catches up from the database
on every (re)subscription and every `CHECK_SECONDS`; a message lost to Redis costs at most that
long, never a gap.

Listeners given to `listen` run in the publishing worker only (the push dispatcher: one worker
expands an event into pushes, not every worker that hears of it).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

import redis

from services.events.broker import InProcessBroker
from services.events.log import Envelope
from services.events.relay import Relay

log = logging.getLogger(__name__)

CHECK_SECONDS = 1.0  # how often the relay compares its last id with the database's newest
RECONNECT_FIRST, RECONNECT_MAX = 0.1, 2.0


def connect(url: str) -> redis.Redis:
    """A client that fails within a second or two, never hangs a request on a dead server."""
    return redis.Redis.from_url(
        url,
        socket_timeout=2,
        socket_connect_timeout=1,
        health_check_interval=10,  # a connection idle this long is pinged before it is used
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _encode(envelope: Envelope) -> str:
    return json.dumps(
        {
            "message": envelope.message,
            "audience": sorted(envelope.audience),
            "push": envelope.push,
            "push_always": envelope.push_always,
        },
        ensure_ascii=False,
    )


def _decode(raw: bytes) -> Envelope:
    data = json.loads(raw)
    return Envelope.of(
        data["message"],
        frozenset(data["audience"]),
        push=data["push"],
        push_always=data["push_always"],
    )


class RedisBroker:
    def __init__(self, client: redis.Redis, prefix: str, relay: Relay):
        self._client = client
        self.channel = f"{prefix}:events"
        self._relay = relay
        self._here = InProcessBroker()  # the publishing worker's own listeners
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._subscribed = threading.Event()  # set while the subscription is up

    def listen(self, listener: Callable[[Envelope], object]) -> None:
        """`listener` gets each event this worker publishes (not those of other workers)."""
        self._here.listen(listener)

    def publish(self, envelope: Envelope) -> None:
        self._here.publish(envelope)
        # this worker's own connections at once; the copy Redis brings back is dropped
        self._relay.offer(envelope)
        try:
            self._client.publish(self.channel, _encode(envelope))
        except redis.RedisError:  # stored already; every relay finds it in the database
            log.warning("event %s not published to Redis", envelope.id, exc_info=True)

    # ---- receiving ----------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="redis-relay", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        pause = RECONNECT_FIRST
        while not self._stop.is_set():
            try:
                self._listen_until_broken()
                pause = RECONNECT_FIRST
            except (redis.RedisError, OSError):
                log.warning("Redis subscription lost; reconnecting", exc_info=True)
            except Exception:
                log.exception("relay loop failed; starting it again")
            self._subscribed.clear()
            self._stop.wait(pause)
            pause = min(pause * 2, RECONNECT_MAX)

    def _listen_until_broken(self) -> None:
        pubsub = self._client.pubsub()
        try:
            pubsub.subscribe(self.channel)
            checked = 0.0
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=CHECK_SECONDS / 2)
                if message is None:
                    pass
                elif message["type"] == "subscribe":
                    self._subscribed.set()
                    checked = 0.0  # whatever was published while we were away: now
                elif message["type"] == "message":
                    self._relay.offer(_decode(message["data"]))
                if self._subscribed.is_set() and time.monotonic() - checked >= CHECK_SECONDS:
                    checked = time.monotonic()
                    self._catch_up()
        finally:
            pubsub.close()

    def _catch_up(self) -> None:
        try:
            if filled := self._relay.catch_up():
                log.info("relay read %s event(s) Redis did not bring", filled)
        except Exception:  # the database is away: try again at the next check
            log.warning("relay cannot catch up from the database yet", exc_info=True)


class ClusterPresence:
    """Whether a user has an open app on any worker (which decides whether to push).

    Each worker keeps, per user with an open connection here, a field in the hash
    `<prefix>:presence:<user id>` holding until when that is true; it renews the fields every
    `RENEW_SECONDS`, so a worker that dies stops counting within `VALID_SECONDS` and its users
    get pushes again. Redis unreachable: nobody counts as online elsewhere (a push too many
    rather than one too few)."""

    RENEW_SECONDS, VALID_SECONDS = 5, 15  # a dead worker's users get pushes again within 15 s

    def __init__(
        self, client: redis.Redis, prefix: str, online_here: Callable[[set[int]], set[int]]
    ):
        self._client = client
        self._prefix = prefix
        self._online_here = online_here
        self.worker = worker_name()
        self._here: set[int] = set()
        self._lock = threading.Lock()

    def _key(self, user_id: int) -> str:
        return f"{self._prefix}:presence:{user_id}"

    def changed(self, user_id: int, online: bool) -> None:
        """The hub's hook: `user_id`'s first connection here opened, or the last one closed."""
        with self._lock:
            (self._here.add if online else self._here.discard)(user_id)
        try:
            if online:
                self._mark([user_id])
            else:
                self._client.hdel(self._key(user_id), self.worker)
        except redis.RedisError:
            log.warning("presence of user %s not shared", user_id, exc_info=True)

    def renew(self) -> None:
        with self._lock:
            here = list(self._here)
        if here:
            self._mark(here)

    def leave(self) -> None:
        """This worker stops: its users count as offline here at once."""
        with self._lock:
            here, self._here = list(self._here), set()
        try:
            pipe = self._client.pipeline(transaction=False)
            for user_id in here:
                pipe.hdel(self._key(user_id), self.worker)
            pipe.execute()
        except redis.RedisError:
            log.warning("presence not withdrawn; it lapses by itself", exc_info=True)

    def _mark(self, user_ids: list[int]) -> None:
        until = time.time() + self.VALID_SECONDS
        pipe = self._client.pipeline(transaction=False)
        for user_id in user_ids:
            pipe.hset(self._key(user_id), self.worker, until)
            pipe.expire(self._key(user_id), self.VALID_SECONDS * 2)
        pipe.execute()

    def online_among(self, user_ids: set[int]) -> set[int]:
        """Those of `user_ids` with an open app on any worker: one round trip to Redis for
        all of them (an alarm to a thousand people asks once, not a thousand times)."""
        online = self._online_here(user_ids)
        elsewhere = sorted(user_ids - online)
        if not elsewhere:
            return online
        try:
            pipe = self._client.pipeline(transaction=False)
            for user_id in elsewhere:
                pipe.hvals(self._key(user_id))
            answers = pipe.execute()
        except redis.RedisError:
            log.warning("presence unknown; pushing to %s user(s)", len(elsewhere), exc_info=True)
            return online
        now = time.time()
        return online | {
            uid
            for uid, untils in zip(elsewhere, answers, strict=True)
            if any(float(until) > now for until in untils)
        }
