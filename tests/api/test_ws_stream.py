"""The websocket's live stream: events that arrive out of id order are all sent; only what the
replay already sent is skipped."""

from app.ws import CLOSED, _stream
from services.events.hub import Subscriber
from services.events.log import Envelope


class RecordingSocket:
    def __init__(self):
        self.sent = []

    def send(self, frame):
        self.sent.append(frame)


def envelope(event_id: int) -> Envelope:
    return Envelope.of(
        {
            "id": event_id,
            "type": "message",
            "created_at": "",
            "urgent": False,
            "title": "t",
            "body": "",
            "data": {},
        },
        frozenset({"user:1"}),
    )


def test_a_slower_transactions_event_is_still_sent(app):
    subscriber = Subscriber(1, frozenset({"user:1"}))
    for event_id in (99, 100, 102, 101):  # 99 and 100 came with the replay; 101 is late
        subscriber.offer(envelope(event_id))
    subscriber.offer(CLOSED)
    ws = RecordingSocket()
    with app.app_context():
        _stream(ws, subscriber, replayed=100, session_key="k", heartbeat=5)
    assert ws.sent == [envelope(102).wire, envelope(101).wire]


def test_a_revocation_met_in_the_replay_ends_the_connection(app):
    """Revoked between login and subscription: the replay carries it, and the socket closes."""
    from app.runtime import runtime
    from app.ws import _replay

    with app.app_context():
        rt = runtime()
        with rt.db.uow() as uow:
            rt.events.record(
                uow,
                type="session.revoked",
                audience={"user:1"},
                push=False,
                title="Uitgelogd",
                data={"session_keys": ["this-device"]},
            )
        ws = RecordingSocket()
        assert _replay(ws, frozenset({"user:1"}), 0, "this-device") is None
        assert _replay(RecordingSocket(), frozenset({"user:1"}), 0, "another-device") > 0
    assert '"session.revoked"' in ws.sent[-1]
