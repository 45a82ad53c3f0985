"""The real transport: pywebpush encrypts (aes128gcm) and signs (VAPID, RFC 8292)."""

from __future__ import annotations

import base64
import socket
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from services.push.dispatcher import SEND_CONCURRENCY, PushMessage
from services.push.endpoints import (
    DEFAULT_PUSH_HOSTS,
    Resolver,
    check_endpoint,
    open_checked,
    system_resolver,
)
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


Connect = Callable[..., socket.socket]  # open_checked with the transport's settings


def _open(conn: HTTPConnection, connect: Connect) -> socket.socket:
    """urllib3's HTTPConnection._new_conn, connecting through `connect` (the address check)
    and mapping failures to the same urllib3 errors. A refused address (RefusedEndpoint) is
    no OSError: it passes through urllib3 and requests to the transport untouched."""
    timeout = conn.timeout if isinstance(conn.timeout, int | float) else None
    try:
        return connect(
            conn._dns_host,
            conn.port,
            timeout,
            source_address=conn.source_address,
            socket_options=conn.socket_options,
        )
    except socket.gaierror as failure:
        raise NameResolutionError(conn.host, conn, failure) from failure
    except TimeoutError as failure:
        raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out") from failure
    except OSError as failure:
        message = f"Failed to establish a new connection: {failure}"
        raise NewConnectionError(conn, message) from failure


class _CheckedAdapter(requests.adapters.HTTPAdapter):
    """Every new connection goes to an address checked the moment before (open_checked);
    one kept alive from an earlier push was checked when it was opened. Requests through a
    proxy (HTTPS_PROXY) use requests' proxy manager instead: the proxy resolves and connects,
    the allow-list still applies to the URL."""

    def __init__(self, connect: Connect, **kwargs):
        self._connect = connect  # before super().__init__, which builds the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        connect = self._connect

        class Plain(HTTPConnection):
            def _new_conn(self) -> socket.socket:
                return _open(self, connect)

        class Secure(HTTPSConnection):
            def _new_conn(self) -> socket.socket:
                return _open(self, connect)

        class PlainPool(HTTPConnectionPool):
            ConnectionCls = Plain

        class SecurePool(HTTPSConnectionPool):
            ConnectionCls = Secure

        self.poolmanager.pool_classes_by_scheme = {"http": PlainPool, "https": SecurePool}


class _NoRedirects(requests.Session):
    """A push service answers 201, never 3xx: a redirect is not followed to wherever it
    points (past the allow-list), its status is the answer."""

    def request(self, method, url, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, **kwargs)


class WebPushTransport:
    """Sends only to endpoints the rule allows (services/push/endpoints.py), to addresses
    checked when connecting: raises RefusedEndpoint, before connecting, for any other."""

    def __init__(
        self,
        key: Vapid02,
        subject: str,
        *,
        hosts: Iterable[str] = DEFAULT_PUSH_HOSTS,
        allow_http: bool = False,
        resolver: Resolver = system_resolver,
    ):
        self.key = key
        self.subject = subject
        self.hosts = tuple(hosts)
        self.allow_http = allow_http
        # One session keeps connections to the push services (FCM, Mozilla, Apple) open
        # between pushes; a pool as large as the sends that may run at once.
        self.http = _NoRedirects()
        adapter = _CheckedAdapter(
            partial(open_checked, resolver=resolver, allow_loopback=allow_http),
            pool_maxsize=SEND_CONCURRENCY,
        )
        self.http.mount("https://", adapter)
        self.http.mount("http://", adapter)

    def send(self, subscription: dict, message: PushMessage) -> int:
        check_endpoint(subscription["endpoint"], self.hosts, allow_http=self.allow_http)
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
