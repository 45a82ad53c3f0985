"""The production shape end to end: a real nginx running ops/nginx.conf.template (TLS, HTTP/2)
in front of two gunicorn workers sharing live events through Redis. An alarm raised through
nginx reaches every open websocket, whichever worker holds it; the page is taken as https, so
the Origin check lets the app's own writes through; a quiet phone is not cut off by nginx."""

from __future__ import annotations

import json
import os
import re
import shutil
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from app.config import load_config
from ops.nginx import TEMPLATE, Nginx, site_config
from services.demo import DEMO_PASSWORD
from tests.conftest import ON_POSTGRES, ROOT, start_server
from tests.live.wsclient import connect, receive, receive_until

live = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="several workers behind nginx need PostgreSQL and Redis: "
    "VELDWACHT_TEST_BACKEND=postgresql",
)


def ws_location(config: str) -> str:
    return re.search(r"location = /ws \{(.*?)\}", config, re.S)[1]


def seconds(block: str, directive: str) -> int:
    return int(re.search(rf"^\s*{directive}\s+(\d+)s;", block, re.M)[1])


def test_nginx_never_cuts_a_quiet_websocket(tmp_path, monkeypatch):
    """nginx closes a proxied connection on which the app sent nothing for proxy_read_timeout
    (60 s by default); the app's ping and heartbeat must come well within it."""
    for name in ("VELDWACHT_WS_PING_SECONDS", "VELDWACHT_HEARTBEAT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    quietest = max(config["WS_PING_SECONDS"], config["HEARTBEAT_SECONDS"])
    ws = ws_location(site_config())
    assert seconds(ws, "proxy_read_timeout") > 60 > quietest
    assert seconds(ws, "proxy_send_timeout") > quietest
    assert "proxy_http_version 1.1;" in ws
    assert re.search(r"proxy_set_header Upgrade\s+\$http_upgrade;", ws)
    assert re.search(r"proxy_set_header Connection\s+\$veldwacht_connection;", ws)
    assert "proxy_buffering    off;" in ws
    for header in ("Host", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For"):
        assert f"proxy_set_header {header} " in ws


def test_the_deployment_guide_shows_the_template_as_it_is():
    assert TEMPLATE.read_text() in (ROOT / "docs/deploy.md").read_text()


# ---- through a real nginx ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory, template_db, backend):
    own = start_server(
        tmp_path_factory.mktemp("nginx-app"),
        template_db,
        backend,
        VELDWACHT_TRUSTED_PROXIES="1",
        VELDWACHT_SECURE_COOKIES="1",
    )
    yield own
    own.stop()


@pytest.fixture(scope="module")
def nginx(server, tmp_path_factory):
    proxy = Nginx(tmp_path_factory.mktemp("nginx"), upstream=f"127.0.0.1:{server.port}")
    try:
        yield proxy.start()
    finally:
        proxy.stop()


@pytest.fixture(scope="module")
def tls(nginx) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=nginx.certificate)


def session(nginx, username: str) -> requests.Session:
    http = requests.Session()
    http.trust_env = False  # else REQUESTS_CA_BUNDLE would win over the session's verify
    http.verify = str(nginx.certificate)
    answer = http.post(
        f"{nginx.url}/api/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
        headers={"Origin": nginx.url},
    )
    assert answer.status_code == 200, answer.text
    assert all(cookie.secure for cookie in http.cookies)
    return http


def worker_connections(server) -> dict[int, int]:
    """Per gunicorn worker (pid): the established connections it holds on the server's port,
    read from /proc (nginx opens one per websocket; plain requests are closed after use)."""
    master = str(server.process.pid)
    workers = [int(pid) for pid in os.listdir("/proc") if pid.isdigit() and _parent(pid) == master]
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == server.port and fields[3] == "01":
                established.add(f"socket:[{fields[9]}]")
    return {
        pid: sum(1 for fd in Path(f"/proc/{pid}/fd").iterdir() if _link(fd) in established)
        for pid in workers
    }


def _parent(pid: str) -> str | None:
    try:  # the command may hold spaces and brackets: the fields after its ")" are plain
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    except (OSError, IndexError):
        return None  # gone meanwhile


def _link(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except OSError:
        return ""


def alarm_raised(ws, alarm_id: int, deadline: float) -> dict:
    while True:
        message = receive(ws, max(0.05, deadline - time.monotonic()))
        event = message.get("event", {})
        if event.get("type") == "alarm.raised" and event["data"]["alarm"]["id"] == alarm_id:
            return event


@live
def test_an_alarm_through_nginx_reaches_every_socket_on_both_workers(server, nginx, tls, request):
    raiser = session(nginx, "sanne")
    responders = [session(nginx, name) for name in ("lisa", "mohammed", "anouk")]
    sockets = []
    request.addfinalizer(lambda: [ws.close() for ws in sockets])
    # Open sockets round the responders until both workers hold some (the kernel gives each
    # connection to whichever worker accepts first).
    while len(sockets) < 6 or min(worker_connections(server).values()) == 0:
        assert len(sockets) < 30, f"every socket on one worker: {worker_connections(server)}"
        http = responders[len(sockets) % len(responders)]
        sockets.append(connect(nginx, http, origin=nginx.url, ssl_context=tls))
        receive_until(sockets[-1], "ready")
    held = worker_connections(server)
    assert len(held) == 2 and sum(held.values()) == len(sockets), held

    raised = raiser.post(
        f"{nginx.url}/api/alarms",
        json={"client_id": str(uuid.uuid4())},
        headers={"Origin": nginx.url},
    )
    assert raised.status_code == 201, raised.text
    alarm_id, deadline = raised.json()["alarm"]["id"], time.monotonic() + 2
    for ws in sockets:
        assert alarm_raised(ws, alarm_id, deadline)["urgent"]


@live
def test_the_page_is_taken_as_https_through_nginx(nginx):
    """With VELDWACHT_TRUSTED_PROXIES=1 the app believes nginx's X-Forwarded-Proto and -Host:
    the page's own Origin passes, the same host on http or another site does not."""
    http = session(nginx, "kim")
    to_peter = {"user_id": _user_id(nginx, "peter"), "text": "Ik ben bij de markt"}

    def send(origin: str) -> int:
        answer = http.post(f"{nginx.url}/api/messages", json=to_peter, headers={"Origin": origin})
        return answer.status_code

    assert send(nginx.url) == 201
    assert send(nginx.url.replace("https://", "http://")) == 403
    assert send("https://evil.example") == 403


@live
def test_http2_keeps_the_host_for_the_origin_check(nginx):
    """Browsers speak HTTP/2 to nginx and name the host in :authority, not Host."""
    if not shutil.which("curl"):
        pytest.skip("curl speaks HTTP/2 for this test, and it is not installed")
    http = session(nginx, "daan")
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    body = json.dumps({"user_id": _user_id(nginx, "peter"), "text": "Via HTTP/2"})
    answer = subprocess.run(
        ["curl", "--silent", "--http2", "--cacert", str(nginx.certificate),
         "--output", "/dev/null", "--write-out", "%{http_version} %{http_code}",
         "-H", f"Origin: {nginx.url}", "-H", f"Cookie: {cookie}",
         "-H", "Content-Type: application/json", "--data", body, f"{nginx.url}/api/messages"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert answer.stdout == "2 201"


@live
def test_plain_http_is_sent_to_https(nginx):
    answer = requests.get(f"http://127.0.0.1:{nginx.http_port}/healthz", allow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"].startswith("https://127.0.0.1/healthz")


def _user_id(nginx, username: str) -> int:
    return session(nginx, username).get(f"{nginx.url}/api/me").json()["id"]
