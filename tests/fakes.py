"""Fakes for what the tests cannot run for real in-process."""

from __future__ import annotations

from services.push.dispatcher import PushMessage


class RecordingPushTransport:
    """Stands in for the push service in service tests: records what would be sent and
    answers with a status per endpoint (default 201). The real transport is exercised against
    a loopback push service in tests/live/test_push.py."""

    def __init__(self):
        self.sent: list[tuple[dict, PushMessage]] = []
        self.status: dict[str, int] = {}

    def send(self, subscription: dict, message: PushMessage) -> int:
        self.sent.append((subscription, message))
        return self.status.get(subscription["endpoint"], 201)

    def endpoints(self) -> list[str]:
        return [sub["endpoint"] for sub, _ in self.sent]


class ListBroker:
    """A broker that keeps what was published, for asserting who would have been told."""

    def __init__(self):
        self.published = []

    def publish(self, envelope):
        self.published.append(envelope)

    def of_type(self, kind):
        return [e for e in self.published if e.message["type"] == kind]
