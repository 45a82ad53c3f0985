"""The real transport: pywebpush encrypts (aes128gcm) and signs (VAPID, RFC 8292)."""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from services.push.dispatcher import SEND_CONCURRENCY, PushMessage

# Connect and read timeouts: a push service that hangs costs its one device this long, no
# more (sends run side by side), and stays below the dispatcher's CLAIM_EXPIRES.
SEND_TIMEOUT = (3, 5)


def ensure_vapid_key(path: Path) -> Vapid02:
    """Load the server's VAPID key, creating it once. Browsers bind a subscription to this
    key, so it must never change silently; the private half is readable by the owner only.
    Several workers start at once on a new install: the key is written whole under a name of
    its own and then linked into place, which fails for all but the first, so every worker
    reads the same complete key and none meets a half-written or vanished file."""
    if not path.exists():
        key = Vapid02()
        key.generate_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key.private_pem())
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:  # another worker's key is in place: that one is the key
            pass
        finally:
            draft.unlink()
    return Vapid02.from_file(str(path))


def application_server_key(key: Vapid02) -> str:
    """The public key as the browser's pushManager.subscribe() wants it (base64url, raw point)."""
    raw = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class WebPushTransport:
    def __init__(self, key: Vapid02, subject: str):
        self.key = key
        self.subject = subject
        # One session keeps connections to the push services (FCM, Mozilla, Apple) open
        # between pushes; a pool as large as the sends that may run at once.
        self.http = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=SEND_CONCURRENCY)
        self.http.mount("https://", adapter)
        self.http.mount("http://", adapter)

    def send(self, subscription: dict, message: PushMessage) -> int:
        try:
            response = webpush(
                subscription,
                data=message.data,
                vapid_private_key=self.key,
                vapid_claims={"sub": self.subject},
                ttl=message.ttl,
                headers={"Urgency": message.urgency, "Topic": message.topic},
                timeout=SEND_TIMEOUT,
                requests_session=self.http,
            )
        except WebPushException as failure:
            if failure.response is None:
                raise
            return failure.response.status_code
        return response.status_code
