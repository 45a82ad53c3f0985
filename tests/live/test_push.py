"""Web Push against a loopback push service that does what a browser's push service and
the browser do: check the VAPID signature, read Urgency and TTL, decrypt the payload."""
import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """Records every push; answers with the status set for a path (default 201 Created)."""

    def __init__(self):
        self.received: list[dict] = []
        self.status: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append({"path": self.path,
                                         "headers": {k.lower(): v for k, v in self.headers.items()},
                                         "body": body})
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, f"only {len(self.received)} pushes arrived"
        return self.received

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class BrowserSubscription:
    """The key material a browser makes in pushManager.subscribe()."""

    def __init__(self, endpoint: str):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint

    def to_json(self) -> dict:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key,
                                           auth_secret=self.auth, version="aes128gcm"))


def verify_vapid(authorization: str, server_key: str, audience: str) -> dict:
    """RFC 8292: `vapid t=<ES256 JWT>,k=<server public key>`; returns the JWT claims."""
    scheme, _, params = authorization.partition(" ")
    fields = dict(part.split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and fields["k"] == server_key
    header, claims, signature = fields["t"].split(".")
    raw = unb64url(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(server_key))
    public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                       int.from_bytes(raw[32:], "big")),
                  f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    decoded = json.loads(unb64url(claims))
    assert decoded["aud"] == audience and decoded["exp"] > time.time()
    assert decoded["sub"].startswith("mailto:")
    return decoded


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


def test_push_is_encrypted_signed_and_dead_subscriptions_are_pruned(live_server, push_service):
    url = live_server.url
    worker, colleague = live_server.session("mohammed"), live_server.session("anouk")
    server_key = worker.get(f"{url}/api/push/key").json()["public_key"]
    browser = BrowserSubscription(f"{push_service.origin}/push/mohammed-phone")
    assert worker.post(f"{url}/api/push/subscriptions", json=browser.to_json()).status_code == 201
    team = colleague.get(f"{url}/api/me").json()["team"]["id"]

    # mohammed has no websocket open: a team message reaches his phone by push
    sent = colleague.post(f"{url}/api/messages", json={"team_id": team, "text": "Overleg 15:00"})
    assert sent.status_code == 201
    (push,) = push_service.wait_for(1)
    assert push["headers"]["content-encoding"] == "aes128gcm"
    assert push["headers"]["urgency"] == "normal" and push["headers"]["ttl"] == "900"
    verify_vapid(push["headers"]["authorization"], server_key, push_service.origin)
    payload = browser.decrypt(push["body"])
    assert (payload["id"], payload["title"], payload["body"]) == (
        sent.json()["event"]["id"], "Bericht van Anouk Visser", "Overleg 15:00")

    # the device test travels like an alarm: high urgency
    assert worker.post(f"{url}/api/push/test", json={}).status_code == 202
    test_push = push_service.wait_for(2)[1]
    assert test_push["headers"]["urgency"] == "high"
    assert browser.decrypt(test_push["body"])["title"] == "Testmelding"
    devices = worker.get(f"{url}/api/push/subscriptions").json()["subscriptions"]
    assert len(devices) == 1 and devices[0]["last_success_at"]

    # the push service says the subscription is gone: the server forgets it
    push_service.status["/push/mohammed-phone"] = 410
    colleague.post(f"{url}/api/messages", json={"team_id": team, "text": "Nog een"})
    push_service.wait_for(3)
    deadline = time.monotonic() + 5
    while worker.get(f"{url}/api/push/subscriptions").json()["subscriptions"]:
        assert time.monotonic() < deadline, "410 did not remove the subscription"
        time.sleep(0.05)
