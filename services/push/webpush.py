"""The real transport: pywebpush encrypts (aes128gcm) and signs (VAPID, RFC 8292)."""

from __future__ import annotations

import base64
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from services.push.dispatcher import SEND_CONCURRENCY, PushMessage
from services.secrets_file import create_once

# Connect and read timeouts: a push service that hangs costs its one device this long, no
# more (sends run side by side), and stays below the dispatcher's CLAIM_EXPIRES.
SEND_TIMEOUT = (3, 5)


def ensure_vapid_key(path: Path) -> Vapid02:
    """Load the server's VAPID key, creating it once. Browsers bind a subscription to this
    key, so it must never change silently."""

    def new_key() -> bytes:
        key = Vapid02()
        key.generate_keys()
        return key.private_pem()

    create_once(path, new_key)
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
