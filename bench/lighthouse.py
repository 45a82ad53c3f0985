"""Measurement: how fast the PWA opens for a field worker on a poor connection.

Run with `make lighthouse` (not part of `make test`: it is a measurement). On a fresh demo
instance served by gunicorn as in production:

1. Lighthouse 12 (from npm, in bench/lighthouse/) on Debian's Chromium, mobile profile with its
   default simulated slow 4G and 4x CPU slowdown, on the login page and on a demo worker's home
   (the session cookie from a login over the API): performance and accessibility scores, LCP,
   TBT and the bytes transferred.
2. Playwright on the same Chromium under the same throttling applied for real (CDP: 150 ms
   round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower): a first start with nothing
   cached, login -> home -> alarm ready, counting every byte the server sends (a counting proxy
   sits between browser and server, so the service worker's precache is counted too); and a
   start of a logged-in worker with nothing cached, timing until the alarm button is visible
   and enabled.

3. The same Lighthouse pages and logged-in start through nginx with TLS and HTTP/2 in front of
   gunicorn, as a municipality deploys it (nginx from Debian, installed when absent; a
   throwaway certificate): HTTP/1.1 gives a browser six connections to a host, so the shell's
   fifty small files queue; HTTP/2 sends them side by side on one.

Each figure is the median of RUNS runs with the spread. Prints a table and writes
bench/results/lighthouse.json."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import requests
from playwright.sync_api import expect, sync_playwright

from bench.seed import ROOT, save_results, start_server
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, VIEWPORT

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WORKER = "sanne"
TOOLS = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
# Lighthouse's own slow-4G profile, applied for real in Playwright (bytes per second).
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
CPU_SLOWDOWN = 4


def install_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOLS, check=True
        )


def demo_server() -> tuple[subprocess.Popen, str, Path]:
    """gunicorn on a fresh demo municipality (`flask setup`, as `make run` does)."""
    instance = Path(tempfile.mkdtemp(prefix="veldwacht-lighthouse-"))
    env = {**os.environ, "VELDWACHT_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "setup"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = 5900 + os.getpid() % 90
    # nginx in front (the HTTP/2 profile) says the page is https: believed from one proxy
    server = start_server(instance, port, VELDWACHT_TRUSTED_PROXIES="1")
    return server, f"http://127.0.0.1:{port}", instance


NGINX_CONF = """
daemon off; master_process off; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port} ssl http2;
    ssl_certificate {dir}/cert.pem; ssl_certificate_key {dir}/key.pem;
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
    }}
  }}
}}
"""


def nginx_http2(upstream: str) -> tuple[subprocess.Popen, str, Path]:
    """nginx with TLS and HTTP/2 on a free port, relaying to the demo server."""
    if not shutil.which("nginx"):
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], check=True)
    folder = Path(tempfile.mkdtemp(prefix="veldwacht-nginx-"))
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    conf = NGINX_CONF.format(dir=folder, port=port, upstream=upstream.rsplit(":", 1)[1])
    (folder / "nginx.conf").write_text(conf)
    nginx = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)])
    base = f"https://127.0.0.1:{port}"
    for _ in range(100):
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + "/healthz", verify=False, timeout=2).ok:
                return nginx, base, folder
        threading.Event().wait(0.1)
    raise RuntimeError("nginx did not come up")


def session_cookie(base: str) -> str:
    answer = requests.post(
        f"{base}/api/auth/login",
        timeout=30,
        json={"username": WORKER, "password": PASSWORD, "remember": False},
    )
    answer.raise_for_status()
    return answer.cookies["session"]


class CountingProxy:
    """A TCP relay in front of the server that counts every byte the server sends: the page's
    requests and the service worker's alike, headers included (what crossed the network)."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.received = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            client = self.listener.accept()[0]
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self.pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self.pump, args=(server, client, True), daemon=True).start()

    def pump(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                if count:
                    with self.lock:
                        self.received += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def reset(self) -> None:
        with self.lock:
            self.received = 0


ALARM_READY = """() => {
  const bar = document.getElementById("alarm-bar");
  const button = document.getElementById("alarm-button");
  const shown = bar && !bar.hidden && button && button.getClientRects().length > 0;
  return shown && !button.disabled && performance.now();
}"""


def throttled_page(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return page


def wait_until_quiet(proxy: CountingProxy, page, quiet_ms: int = 3000) -> None:
    """Until the server has sent nothing for quiet_ms (the service worker's precache is done)."""
    last, still = proxy.received, 0
    while still < quiet_ms:
        page.wait_for_timeout(250)
        still = still + 250 if proxy.received == last else 0
        last = proxy.received


def first_start(browser, base: str, proxy: CountingProxy) -> dict:
    """Nothing cached, no service worker: login -> home -> alarm ready (the bytes, and the
    milliseconds from pressing "Inloggen" to a usable alarm button), and the service worker's
    install."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    try:
        page = throttled_page(context)
        proxy.reset()
        page.goto(base + "/")
        expect(page.locator("#login-screen")).to_be_visible(timeout=60_000)
        page.fill("#username", WORKER)
        page.fill("#password", PASSWORD)
        submitted = page.evaluate("performance.now()")
        page.click("#login-form button[type=submit]")
        ready = page.wait_for_function(ALARM_READY, timeout=60_000, polling=50).json_value()
        at_alarm_ready = proxy.received
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        wait_until_quiet(proxy, page)
        return {
            "first_load_kb": round(proxy.received / 1000, 1),
            "until_alarm_ready_kb": round(at_alarm_ready / 1000, 1),
            "login_to_alarm_ready_ms": round(ready - submitted),
        }
    finally:
        context.close()


def logged_in_start(browser, base: str, cookie: str) -> dict:
    """A worker who is logged in opens the app: with nothing cached, then once more with the
    service worker installed. Milliseconds from navigation start to a usable alarm button."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL", ignore_https_errors=True)
    context.add_cookies([{"name": "session", "value": cookie, "url": base}])
    try:
        page = throttled_page(context)
        page.goto(base + "/", wait_until="commit")
        cold = page.wait_for_function(ALARM_READY, timeout=60_000, polling=50).json_value()
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(3000)
        page.reload(wait_until="commit")
        warm = page.wait_for_function(ALARM_READY, timeout=60_000, polling=50).json_value()
        return {"alarm_ready_cold_ms": round(cold), "alarm_ready_warm_ms": round(warm)}
    finally:
        context.close()


def lighthouse(url: str, cookie: str | None = None) -> dict:
    out = Path(tempfile.mkdtemp(prefix="lighthouse-")) / "report.json"
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS, "--ignore-certificate-errors"])
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={flags}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": f"session={cookie}"}))
    subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report = json.loads(out.read_text())
    shutil.rmtree(out.parent, ignore_errors=True)
    audits, categories = report["audits"], report["categories"]
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1000, 1),
    }


def summary(runs: list[dict]) -> dict:
    """Per figure: the median and the spread over the runs."""
    return {
        key: {
            "median": statistics.median(run[key] for run in runs),
            "low": min(run[key] for run in runs),
            "high": max(run[key] for run in runs),
        }
        for key in runs[0]
    }


def show(title: str, figures: dict) -> None:
    print(f"\n{title}")
    for key, f in figures.items():
        print(f"  {key:<24} {f['median']:>8}   ({f['low']}–{f['high']})")


def measure_http2(base: str, cookie: str, results: dict) -> None:
    nginx, secure, folder = nginx_http2(base)
    try:
        results["http2_login"] = summary([lighthouse(secure + "/") for _ in range(RUNS)])
        results["http2_home"] = summary([lighthouse(secure + "/", cookie) for _ in range(RUNS)])
        with sync_playwright() as p:
            # the flag, not only the context's ignore_https_errors: the service worker's script
            # is fetched by the browser, which must accept the throwaway certificate too
            args = [*CHROMIUM_ARGS, "--ignore-certificate-errors"]
            browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
            try:
                results["http2_alarm_ready"] = summary(
                    [logged_in_start(browser, secure, cookie) for _ in range(RUNS)]
                )
            finally:
                browser.close()
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    install_lighthouse()
    server, base, instance = demo_server()
    results: dict = {"runs": RUNS, "machine": {"cores": os.cpu_count()}}
    try:
        cookie = session_cookie(base)
        results["lighthouse_login"] = summary([lighthouse(base + "/") for _ in range(RUNS)])
        results["lighthouse_home"] = summary([lighthouse(base + "/", cookie) for _ in range(RUNS)])
        proxy = CountingProxy(int(base.rsplit(":", 1)[1]))
        proxied = f"http://127.0.0.1:{proxy.port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                results["first_load"] = summary(
                    [first_start(browser, proxied, proxy) for _ in range(RUNS)]
                )
                results["alarm_ready"] = summary(
                    [logged_in_start(browser, proxied, cookie) for _ in range(RUNS)]
                )
            finally:
                browser.close()
        measure_http2(base, cookie, results)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)
    show("Lighthouse, login page (mobile, simulated slow 4G, 4x CPU)", results["lighthouse_login"])
    show("Lighthouse, the worker's home", results["lighthouse_home"])
    show("First start, login -> home -> alarm ready", results["first_load"])
    show("Logged-in start until the alarm button is usable (ms)", results["alarm_ready"])
    show("Through nginx, TLS and HTTP/2: Lighthouse, login page", results["http2_login"])
    show("Through nginx, TLS and HTTP/2: Lighthouse, the worker's home", results["http2_home"])
    show("Through nginx, TLS and HTTP/2: alarm button usable (ms)", results["http2_alarm_ready"])
    save_results("lighthouse", results)


if __name__ == "__main__":
    main()
