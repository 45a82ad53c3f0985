"""The rule for where a push may go (services/push/endpoints.py), and its second half at send
time: the addresses a push service's name resolves to are checked the moment before
connecting, and the connection goes to the address that was checked (DNS rebinding). The
resolver is injected: no test here looks a name up or leaves the machine."""

import base64
import ipaddress
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from sqlalchemy import select

from services.clock import FakeClock
from services.errors import Conflict, Invalid
from services.events.audience import user_key
from services.push.dispatcher import PushMessage
from services.push.endpoints import (
    DEFAULT_PUSH_HOSTS,
    RefusedEndpoint,
    address_allowed,
    endpoint_problem,
    host_allowed,
    open_checked,
    parse_hosts,
)
from services.push.models import PushDelivery, PushSubscription
from services.push.retry import REFUSED, outcome_of
from services.push.subscriptions import save_subscription, validate_subscription
from services.push.webpush import WebPushTransport
from tests.conftest import user_by_name
from tests.unit.test_push_dispatcher import AUTH, P256DH, deliver, make_dispatcher, message

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZ"


# ---- the rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        FCM,
        "https://fcm.googleapis.com:443/fcm/send/x",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABmXyZ0",
        "https://updates-autopush.stage.mozaws.push.services.mozilla.com/wpush/v2/x",
        "https://web.push.apple.com/QGuQyavXutnMH2mDCxTRqQ",
        "https://api.push.apple.com/3/device/x",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAADq0zu3a3sT",
        "HTTPS://FCM.GOOGLEAPIS.COM/fcm/send/x",  # scheme and host are case-insensitive
    ],
)
def test_endpoints_of_the_browsers_push_services_pass(url):
    assert endpoint_problem(url, DEFAULT_PUSH_HOSTS) is None


@pytest.mark.parametrize(
    "url,reason",
    [
        ("http://fcm.googleapis.com/fcm/send/x", "geen https-URL"),
        ("file:///etc/passwd", "geen https-URL"),
        ("https:///no-host", "geen https-URL"),
        ("fcm.googleapis.com/fcm/send/x", "geen https-URL"),
        ("https://127.0.0.1:8443/x", "alleen poort 443"),
        ("https://127.0.0.1/x", "een IP-adres in plaats van de naam van een pushdienst"),
        ("https://[::1]/x", "een IP-adres in plaats van de naam van een pushdienst"),
        ("https://10.1.2.3/x", "een IP-adres in plaats van de naam van een pushdienst"),
        ("https://169.254.169.254/x", "een IP-adres in plaats van de naam van een pushdienst"),
        ("https://142.250.185.74/x", "een IP-adres in plaats van de naam van een pushdienst"),
        ("https://localhost/x", "geen bekende pushdienst"),
        ("https://push.example.com/x", "geen bekende pushdienst"),
        ("https://fcm.googleapis.com.evil.example/x", "geen bekende pushdienst"),
        ("https://push.apple.com/x", "geen bekende pushdienst"),
        ("https://xpush.apple.com/x", "geen bekende pushdienst"),
        ("https://fcm.googleapis.com./x", "geen bekende pushdienst"),
        ("https://127.1/x", "geen bekende pushdienst"),
        ("https://0x7f000001/x", "geen bekende pushdienst"),
        ("https://user@fcm.googleapis.com/x", "geen gebruikersnaam of wachtwoord in het adres"),
        ("https://u:p@fcm.googleapis.com/x", "geen gebruikersnaam of wachtwoord in het adres"),
        ("https://fcm.googleapis.com@10.0.0.1/x", "geen gebruikersnaam of wachtwoord in het adres"),
        ("https://fcm.googleapis.com:8443/x", "alleen poort 443"),
        ("https://fcm.googleapis.com:80/x", "alleen poort 443"),
        ("https://fcm.googleapis.com:99999/x", "geen geldige URL"),
        ("https://fcm.googleapis.com:x/x", "geen geldige URL"),
        ("https://fcm.googleapis.com/x y", "ongeldige tekens in het adres"),
        ("https://fcm.googleapis.com/x\n", "ongeldige tekens in het adres"),
        ("https://fcm.googleapis.com/\x00", "ongeldige tekens in het adres"),
        ("https://fcm.googleäpis.com/x", "ongeldige tekens in het adres"),
        ("https://fcm.googleapis.com/" + "a" * 1000, "te lang"),
    ],
)
def test_anything_else_is_refused_with_its_reason(url, reason):
    assert endpoint_problem(url, DEFAULT_PUSH_HOSTS) == reason


def test_the_refusal_names_the_field_in_dutch():
    with pytest.raises(Invalid) as refused:
        validate_subscription("https://127.0.0.1:8443/x", P256DH, AUTH, allow_http=False)
    assert refused.value.fields == {"endpoint": "alleen poort 443"}
    assert refused.value.message == (
        "Het push-adres (endpoint) wordt niet aanvaard: alleen poort 443."
    )


@pytest.mark.parametrize(
    "url,problem",
    [
        ("http://127.0.0.1:8123/push/x", None),  # the tests' loopback push service
        ("https://127.0.0.1:8123/push/x", None),
        ("http://[::1]:8123/push/x", None),
        ("http://localhost:8123/push/x", None),
        ("http://10.0.0.5/push", "geen https-URL"),
        ("https://10.0.0.5/push", "een IP-adres in plaats van de naam van een pushdienst"),
        ("https://169.254.169.254/x", "een IP-adres in plaats van de naam van een pushdienst"),
        ("http://fcm.googleapis.com/x", "geen https-URL"),
        ("https://push.example.com/x", "geen bekende pushdienst"),
        ("http://u:p@127.0.0.1:8123/x", "geen gebruikersnaam of wachtwoord in het adres"),
        (FCM, None),
    ],
)
def test_the_test_only_flag_lets_loopback_through_and_nothing_else(url, problem):
    assert endpoint_problem(url, DEFAULT_PUSH_HOSTS, allow_http=True) == problem


def test_host_patterns():
    hosts = ("fcm.googleapis.com", "*.notify.windows.com")
    assert host_allowed("fcm.googleapis.com", hosts)
    assert not host_allowed("a.fcm.googleapis.com", hosts)  # exact means exact
    assert host_allowed("wns2-par02p.notify.windows.com", hosts)
    assert host_allowed("a.b.notify.windows.com", hosts)
    assert not host_allowed("notify.windows.com", hosts)
    assert not host_allowed("evilnotify.windows.com", hosts)
    assert not host_allowed("notify.windows.com.evil.example", hosts)


def test_the_allow_list_from_configuration():
    assert parse_hosts(" Push.Example.org , *.push.example.net,") == (
        "push.example.org",
        "*.push.example.net",
    )
    for wrong in ("*", "*.com", "127.0.0.1", "push example.org", "https://push.example.org", ""):
        with pytest.raises(ValueError):
            parse_hosts(wrong)


def test_the_configuration_variable_replaces_the_defaults(tmp_path, monkeypatch):
    from app.config import load_config

    assert load_config({"INSTANCE_PATH": str(tmp_path)})["PUSH_HOSTS"] == DEFAULT_PUSH_HOSTS
    monkeypatch.setenv("VELDWACHT_PUSH_HOSTS", "push.example.org,*.push.example.net")
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["PUSH_HOSTS"] == ("push.example.org", "*.push.example.net")
    monkeypatch.setenv("VELDWACHT_PUSH_HOSTS", "push.example.org,10.0.0.1")
    with pytest.raises(ValueError, match="VELDWACHT_PUSH_HOSTS"):
        load_config({"INSTANCE_PATH": str(tmp_path)})


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "fd00::1",
        "169.254.169.254",
        "fe80::1",
        "100.64.0.1",  # shared address space (CGNAT)
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
        "240.0.0.1",  # reserved
        "192.0.2.1",  # documentation
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    ],
)
def test_internal_addresses_are_refused(address):
    assert not address_allowed(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["142.250.185.74", "2a00:1450:4001:82b::200a", "17.57.146.52"])
def test_public_addresses_pass(address):
    assert address_allowed(ipaddress.ip_address(address))


def test_the_test_only_flag_allows_loopback_addresses_only():
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), allow_loopback=True)
    assert address_allowed(ipaddress.ip_address("::1"), allow_loopback=True)
    for address in ("10.0.0.1", "169.254.169.254", "192.168.1.1", "fe80::1"):
        assert not address_allowed(ipaddress.ip_address(address), allow_loopback=True)


# ---- at send time ----------------------------------------------------------------------


class Listener:
    """A TCP port on loopback that counts the connections it is offered."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]

    def accepted(self) -> bool:
        try:
            conn, _ = self.sock.accept()
        except TimeoutError:
            return False
        conn.close()
        return True

    def close(self):
        self.sock.close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


def resolving(mapping: dict[str, list[str]], port: int, asked: list | None = None):
    """A resolver answering each name with these addresses (on `port`), as getaddrinfo does."""

    def resolve(host, _port):
        if asked is not None:
            asked.append(host)
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (address, port),
            )
            for address in mapping.get(host, [])
        ]

    return resolve


def browser_keys() -> dict:
    """A real P-256 key and auth secret, so that the payload can be encrypted to them."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    b64 = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
    return {"p256dh": b64(raw), "auth": b64(os.urandom(16))}


def transport(resolver, **kwargs) -> WebPushTransport:
    key = Vapid02()
    key.generate_keys()
    return WebPushTransport(key, "mailto:test@veldwacht.invalid", resolver=resolver, **kwargs)


MESSAGE = PushMessage(data=b'{"title": "x"}', ttl=60, urgency="high", topic="t")


def test_a_push_service_name_resolving_to_loopback_gets_no_connection(listener):
    asked = []
    sender = transport(resolving({"fcm.googleapis.com": ["127.0.0.1"]}, listener.port, asked))
    with pytest.raises(RefusedEndpoint, match=r"127\.0\.0\.1"):
        sender.send({"endpoint": FCM, "keys": browser_keys()}, MESSAGE)
    assert asked == ["fcm.googleapis.com"]  # looked up when connecting ...
    assert not listener.accepted()  # ... and not connected to


@pytest.mark.parametrize(
    "addresses",
    [["10.0.0.7"], ["169.254.169.254"], ["142.250.185.74", "127.0.0.1"], ["::ffff:127.0.0.1"], []],
)
def test_one_internal_address_among_the_answers_is_enough_to_refuse(addresses, listener):
    sender = transport(resolving({"fcm.googleapis.com": addresses}, listener.port))
    with pytest.raises(RefusedEndpoint):
        sender.send({"endpoint": FCM, "keys": browser_keys()}, MESSAGE)
    assert not listener.accepted()


def test_a_stored_endpoint_outside_the_rule_is_not_sent_to(listener):
    """A subscription saved before the rule, or no longer on a shortened list: nothing goes."""
    asked = []
    sender = transport(resolving({}, listener.port, asked))
    for endpoint in (f"https://127.0.0.1:{listener.port}/x", "https://push.example.com/x"):
        with pytest.raises(RefusedEndpoint):
            sender.send({"endpoint": endpoint, "keys": browser_keys()}, MESSAGE)
    assert asked == [] and not listener.accepted()


def test_the_connection_goes_to_the_address_that_was_checked(listener):
    """No second lookup: the socket is connected to exactly what the check saw."""
    asked = []
    resolve = resolving({"fcm.googleapis.com": ["127.0.0.1"]}, listener.port, asked)
    sock = open_checked("fcm.googleapis.com", 443, 2, resolver=resolve, allow_loopback=True)
    try:
        assert sock.getpeername() == ("127.0.0.1", listener.port)
        assert listener.accepted() and asked == ["fcm.googleapis.com"]
    finally:
        sock.close()
    with pytest.raises(RefusedEndpoint):
        open_checked("fcm.googleapis.com", 443, 2, resolver=resolve)


class Redirecting:
    """A loopback push service that answers 307 to a path elsewhere, and counts requests."""

    def __init__(self):
        self.paths: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                service.paths.append(self.path)
                self.send_response(307)
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_redirect_is_not_followed():
    service = Redirecting()
    try:
        sender = transport(resolving({"localhost": ["127.0.0.1"]}, service.port), allow_http=True)
        endpoint = f"http://localhost:{service.port}/push/x"
        status = sender.send({"endpoint": endpoint, "keys": browser_keys()}, MESSAGE)
        assert status == 307 and service.paths == ["/push/x"]
    finally:
        service.close()


def test_a_refused_push_fails_for_good_and_is_not_retried(db, listener):
    """Through the dispatcher: the device's delivery is failed, with the refusal as its
    status, and never tried again (no connection will ever be made there)."""
    with db.reader() as uow:
        lisa = user_by_name(uow.session, "lisa").id
    keys = browser_keys()
    with db.uow() as uow:
        save_subscription(
            uow.session,
            FakeClock(),
            user_id=lisa,
            endpoint=FCM,
            p256dh=keys["p256dh"],
            auth=keys["auth"],
            user_agent="test",
        )
    sender = transport(resolving({"fcm.googleapis.com": ["127.0.0.1"]}, listener.port))
    clock = FakeClock()
    dispatcher, _ = make_dispatcher(db, clock=clock, transport=sender)
    alarm = message(db, user_key(lisa), urgent=True, clock=clock)
    deliver(dispatcher, alarm)
    with db.reader() as uow:
        delivery = uow.session.scalar(select(PushDelivery).where(PushDelivery.event_id == alarm.id))
        assert (delivery.state, delivery.last_status) == ("failed", REFUSED)
    assert not listener.accepted()
    assert outcome_of(
        REFUSED, urgent=True, attempts=1, created_at=clock.now(), ttl=900, now=clock.now()
    ) == (
        "failed",
        None,
    )


def test_saving_an_endpoint_of_another_account_is_refused(db):
    with db.reader() as uow:
        sanne, kim = (user_by_name(uow.session, n).id for n in ("sanne", "kim"))

    def save(user_id, p256dh):
        with db.uow() as uow:
            save_subscription(
                uow.session,
                FakeClock(),
                user_id=user_id,
                endpoint=FCM,
                p256dh=p256dh,
                auth=AUTH,
                user_agent="test",
            )

    save(sanne, P256DH)
    with pytest.raises(Conflict) as refused:
        save(kim, "B" + "Q" * 86)
    assert "endpoint" in refused.value.fields
    with db.reader() as uow:
        rows = [(s.user_id, s.p256dh) for s in uow.session.scalars(select(PushSubscription))]
    assert rows == [(sanne, P256DH)]
