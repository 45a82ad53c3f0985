"""Where the server may send a push: a small pure rule, checked when a device registers and
again, with the addresses the host resolves to, when a push is sent.

A push endpoint is a URL the browser got from its vendor's push service, and the server posts
to it. Taken on trust it would let anyone signed in make the server connect wherever they
like (SSRF: a loopback admin port, the cloud metadata address, a host inside the network). So
an endpoint must be https, on port 443, to a host of a known push service (the allow-list,
VELDWACHT_PUSH_HOSTS), and named, not given as an IP address; and at the moment of connecting,
every address the name resolves to must be a public one. The connection then goes to exactly
the address that was checked: a name that resolves to a public address for the check and to
127.0.0.1 for the connection (DNS rebinding) gets nowhere.

`allow_http` (VELDWACHT_PUSH_ALLOW_HTTP, for tests only) also lets through the tests' push
service on loopback: http or https, any port, a loopback IP address or `localhost`. Private and
link-local addresses stay refused even then."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from services.errors import Text

# The hosts browsers' push services give out (what PushManager.subscribe() returns):
# Chrome, Edge on Android, Opera, Samsung Internet and Brave: Firebase Cloud Messaging;
# Firefox: Mozilla autopush; Safari (macOS, iOS 16.4+ home-screen apps): Apple;
# Edge on Windows: Windows Push Notification Services (wns2-<region>.notify.windows.com).
DEFAULT_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.services.mozilla.com",
    "web.push.apple.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)
MAX_ENDPOINT_LENGTH = 1000  # the column's width; real endpoints are a few hundred characters

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME = re.compile(rf"{_LABEL}(\.{_LABEL})+")  # at least two labels, no trailing dot
_LOOPBACK_NAMES = {"localhost"}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known prefix: the last 32 bits are IPv4

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# getaddrinfo's answer: (family, type, proto, canonname, sockaddr) for each address
Resolver = Callable[[str, int], Sequence[tuple]]


class RefusedEndpoint(Exception):
    """The server will not connect there: the URL breaks the rule, or its host resolves to an
    address that is not public. Raised before any connection is made."""


def parse_hosts(text: str) -> tuple[str, ...]:
    """The allow-list from configuration: host names and `*.suffix` patterns, comma-separated.
    Raises ValueError on an entry that is neither (a typo would otherwise refuse every
    device of a browser silently)."""
    hosts = tuple(entry.strip().lower() for entry in text.split(",") if entry.strip())
    for host in hosts:
        name = host.removeprefix("*.")
        if not _HOSTNAME.fullmatch(name) or _is_ip(name):
            raise ValueError(f"VELDWACHT_PUSH_HOSTS: {host!r} is no host name or *.suffix")
    if not hosts:
        raise ValueError("VELDWACHT_PUSH_HOSTS: no host")
    return hosts


def host_allowed(host: str, hosts: Iterable[str]) -> bool:
    """`host` is on the list: equal to an entry, or below a `*.suffix` entry (the suffix
    itself is not: `*.push.apple.com` allows `web.push.apple.com`, not `push.apple.com`)."""
    for pattern in hosts:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (::ffff:a.b.c.d, 6to4, NAT64), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(address.packed[-4:])
    return None


def address_allowed(address: Address, *, allow_loopback: bool = False) -> bool:
    """A public unicast address; loopback too when `allow_loopback` (the tests' push service).
    Never private, link-local, shared (CGNAT), reserved, multicast or unspecified, nor an
    IPv6 address that stands for such an IPv4 one."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_allowed(embedded, allow_loopback=allow_loopback)
    if address.is_loopback:
        return allow_loopback
    return address.is_global and not address.is_multicast


def endpoint_problem(url: str, hosts: Iterable[str], *, allow_http: bool = False) -> Text | None:
    """What is wrong with a push endpoint (a text for the `endpoint` field), or None when the
    server may send there. Pure: no name is resolved here (`open_checked` does that)."""
    if len(url) > MAX_ENDPOINT_LENGTH:
        return Text("te lang")
    if not url.isascii() or any(c.isspace() or not c.isprintable() for c in url):
        return Text("ongeldige tekens in het adres")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return Text("geen geldige URL")
    host = parts.hostname or ""
    loopback = allow_http and _is_loopback_host(host)
    if parts.scheme not in ({"https", "http"} if loopback else {"https"}) or not host:
        return Text("geen https-URL")
    if "@" in parts.netloc:
        return Text("geen gebruikersnaam of wachtwoord in het adres")
    if loopback:
        return None  # the tests' push service: any port
    if port not in (None, 443):
        return Text("alleen poort 443")
    if _is_ip(host):
        return Text("een IP-adres in plaats van de naam van een pushdienst")
    if not _HOSTNAME.fullmatch(host) or not host_allowed(host, hosts):
        return Text("geen bekende pushdienst")
    return None


def _is_loopback_host(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(url: str, hosts: Iterable[str], *, allow_http: bool = False) -> None:
    """The rule at send time: raises RefusedEndpoint (a subscription stored before the rule
    existed, or one no longer on a shortened allow-list, is not sent to)."""
    problem = endpoint_problem(url, hosts, allow_http=allow_http)
    if problem is not None:
        raise RefusedEndpoint(f"{url[:60]}: {problem}")


def system_resolver(host: str, port: int) -> Sequence[tuple]:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def checked_addresses(
    host: str, port: int, resolver: Resolver, *, allow_loopback: bool = False
) -> list[tuple]:
    """Resolve `host` and return getaddrinfo's entries, all of them public addresses; raises
    RefusedEndpoint if *any* is not (a name with one public and one internal address must not
    get a connection to whichever is tried first)."""
    found = list(resolver(host, port))
    if not found:
        raise RefusedEndpoint(f"{host}: no address")
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not address_allowed(address, allow_loopback=allow_loopback):
            raise RefusedEndpoint(f"{host} resolves to {address}, not a public address")
    return found


def open_checked(
    host: str,
    port: int,
    timeout: float | None,
    *,
    resolver: Resolver = system_resolver,
    allow_loopback: bool = False,
    source_address: tuple[str, int] | None = None,
    socket_options: Iterable[tuple] | None = None,
) -> socket.socket:
    """A TCP connection to `host`, made to an address that was checked: what urllib3's
    create_connection does, with the check between resolving and connecting, and no second
    lookup that could answer differently."""
    last: OSError | None = None
    for family, kind, proto, _, sockaddr in checked_addresses(
        host, port, resolver, allow_loopback=allow_loopback
    ):
        sock = socket.socket(family, kind, proto)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            last = failure
            sock.close()
    assert last is not None
    raise last
