"""A loopback push service that does what a browser's push service and the browser do: check
the VAPID signature, read Urgency, TTL and Topic, decrypt the payload. It can also misbehave
the way real ones do: answer an error once, or hang on a request until released."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # 5 by default: 25 devices at once would wait for SYN retries


class PushService:
    """Records every push; answers with the status set for a path (default 201 Created).
    `fail_once[path]` answers that status to the first request only; a path in `hang_first`
    gets no answer to its first request until `release` is set (or 30 s pass), a path in
    `hang` none to any request."""

    def __init__(self):
        self.received: list[dict] = []
        self.status: dict[str, int] = {}
        self.fail_once: dict[str, int] = {}
        self.hang_first: set[str] = set()
        self.hang: set[str] = set()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._seen: set[str] = set()  # paths that had a request
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, hang = service._decide(self.path)
                if hang:
                    service.release.wait(30)
                record = {
                    "path": self.path,
                    "body": body,
                    "status": status,
                    "hung": hang,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                }
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender hung up (timed out, or was killed)
                    record["status"] = None
                record["answered_at"] = time.monotonic()
                with service._lock:
                    service.received.append(record)

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _decide(self, path: str) -> tuple[int, bool]:
        with self._lock:
            first = path not in self._seen
            self._seen.add(path)
        if first and path in self.fail_once:
            return self.fail_once[path], False
        return self.status.get(path, 201), path in self.hang or (first and path in self.hang_first)

    def accepted(self, path: str) -> list[dict]:
        """The pushes to `path` this service took: answered 2xx at once (a hung request's
        sender has given up, or died, long before its late answer)."""
        with self._lock:
            return [
                r
                for r in self.received
                if r["path"] == path and not r["hung"] and r["status"] and 200 <= r["status"] < 300
            ]

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
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(
                body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
            )
        )


def verify_vapid(authorization: str, server_key: str, audience: str) -> dict:
    """RFC 8292: `vapid t=<ES256 JWT>,k=<server public key>`; returns the JWT claims."""
    scheme, _, params = authorization.partition(" ")
    fields = dict(part.split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and fields["k"] == server_key
    header, claims, signature = fields["t"].split(".")
    raw = unb64url(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(server_key))
    public.verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )  # raises if forged
    decoded = json.loads(unb64url(claims))
    assert decoded["aud"] == audience and decoded["exp"] > time.time()
    assert decoded["sub"].startswith("mailto:")
    return decoded
