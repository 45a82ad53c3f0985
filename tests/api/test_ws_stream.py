"""The websocket's replay (what a live socket does after it: tests/unit/test_live.py)."""


class RecordingSocket:
    def __init__(self):
        self.sent = []

    def send(self, frame):
        self.sent.append(frame)


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
