"""The shell is served so that it installs, and so that a changed shell reaches phones."""

import gzip
import json
import re
from pathlib import Path

import brotli

from app.pwa import module_imports, shell_version
from tests.conftest import login


def fetch(client, path):
    """GET and close: file responses hold an open file until closed."""
    with client.get(path) as response:
        return response.status_code, response.get_data(), response.headers


def test_manifest_makes_the_app_installable(client):
    manifest = json.loads(fetch(client, "/manifest.webmanifest")[1])
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert fetch(client, icon["src"])[0] == 200


def test_service_worker_is_stamped_with_the_shell_version_and_never_cached(app, client):
    response = client.get("/sw.js")
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert "__SHELL_VERSION__" not in body
    assert shell_version(app.config["PWA_DIR"]) in body


def test_shell_version_changes_when_a_file_changes(tmp_path):
    (tmp_path / "app.js").write_text("one")
    before = shell_version(str(tmp_path))
    (tmp_path / "app.js").write_text("two")
    shell_version.cache_clear()
    assert shell_version(str(tmp_path)) != before


def test_pages_carry_a_content_security_policy(client):
    policy = fetch(client, "/")[2]["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def _precached(client, pwa: Path) -> set[str]:
    """The service worker's precache list as served: files under pwa/, and "/" (the page)."""
    source = fetch(client, "/sw.js")[1].decode()
    version = shell_version(str(pwa))
    block = re.search(r"const SHELL = \[(.*?)\n\];", source, re.S).group(1)
    shell = re.findall(r'^\s*"(/[^"]*)",?$', block, re.M)
    listed = re.search(r"\.\.\.\[(.*?)\]\.map", block, re.S).group(1)
    versioned = re.findall(r'"([^"]+)"', listed.replace("...MODULES", ""))
    modules = json.loads(re.search(r"const MODULES = (\[.*?\]);", source).group(1))
    assert all(f"/v/{version}/" not in path for path in shell)
    return {path.lstrip("/") for path in shell} | set(versioned) | set(modules)


def _lazy(pwa: Path, shell: set[str]) -> set[str]:
    """Modules reached only through import() from the shell (and what those import)."""
    found, todo = set(), [m for m in shell if m.endswith(".js") and (pwa / m).is_file()]
    while todo:
        static, dynamic = module_imports(str(pwa), todo.pop())
        for module in [*static, *dynamic]:
            if module not in shell and module not in found:
                found.add(module)
                todo.append(module)
    return found


def test_the_field_workers_shell_is_precached_and_the_rest_loads_on_first_use(app, client):
    """A module missing from the precache would break the offline start of a field worker
    (alarm, visit, report); one in it that she never uses costs her bytes on every install."""
    pwa = Path(app.config["PWA_DIR"])
    shell = _precached(client, pwa)
    for needed in (
        "js/app.js",
        "js/alarm/worker.js",
        "js/visits/worker.js",
        "js/incidents/capture.js",
        "js/outbox-core.js",
        "js/idb-schema.js",
        "css/app.css",
        "i18n/nl.json",
        "",
    ):
        assert needed in shell, needed
    for path in shell - {""}:
        assert (pwa / path).is_file(), path
    managers = {
        "js/incidents/gir.js",
        "js/incidents/followup.js",
        "js/incidents/todo.js",
        "js/screens/register.js",
        "js/screens/checklists.js",
        "js/screens/audit.js",
        "js/admin/screen.js",
        "js/visits/team-list.js",
        "js/visits/requests.js",
    }
    assert not managers & shell
    assert "vendor/leaflet/leaflet.js" not in shell
    # Everything else is reachable: loaded with import(), or Leaflet by the map when shown.
    files = {p.relative_to(pwa).as_posix() for p in pwa.rglob("*") if p.is_file()}
    leaflet = {f for f in files if f.startswith("vendor/leaflet/")}
    assert "../../vendor/leaflet/" in (pwa / "js/alarm/map.js").read_text()
    assert managers <= _lazy(pwa, shell)
    manifest = json.loads((pwa / "manifest.webmanifest").read_text())
    icons = {icon["src"].lstrip("/") for icon in manifest["icons"]}  # the browser's, to install
    # a language other than Dutch is fetched by js/i18n.js when chosen, then cached
    languages = {f for f in files if f.startswith("i18n/")} - {"i18n/nl.json"}
    assert (
        "i18n/en.json" in languages and "../i18n/${code}.json" in (pwa / "js/i18n.js").read_text()
    )
    assert files - shell - _lazy(pwa, shell) - leaflet - icons - languages == {
        "sw.js",
        "index.html",
    }


def test_shell_files_have_versioned_urls_kept_for_a_year(app, client):
    """The page asks for /v/<version>/...: a phone keeps those (immutable); the page itself and
    the service worker are always revalidated, and old unversioned URLs still answer."""
    version = shell_version(app.config["PWA_DIR"])
    status, page, headers = fetch(client, "/")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    signed_out_etag = headers["ETag"]
    html = page.decode()
    assert "__SHELL_VERSION__" not in html
    assert f'src="/v/{version}/js/app.js"' in html
    # Signed out: the login page's modules side by side, none of the session's.
    assert f'<link rel="modulepreload" href="/v/{version}/js/screens/login.js">' in html
    assert "/js/alarm/worker.js" not in html and 'href="/api/me"' not in html
    # Signed in: the session's modules too (home, the alarm), never the manager's screens.
    login(client, "sanne")
    status, signed_in, headers = fetch(client, "/")
    assert "Cookie" in headers["Vary"] and headers["ETag"] != signed_out_etag
    signed_in = signed_in.decode()
    assert f'<link rel="modulepreload" href="/v/{version}/js/alarm/worker.js">' in signed_in
    assert "/js/incidents/gir.js" not in signed_in  # loaded on first use, not preloaded
    # ... and the profile; over HTTP/1.1's six connections, what app.js needs comes first.
    assert '<link rel="preload" href="/api/me" as="fetch" crossorigin>' in signed_in
    assert signed_in.index("/js/screens/login.js") < signed_in.index("/js/alarm/worker.js")
    status, _, headers = fetch(client, f"/v/{version}/js/app.js")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, _, headers = fetch(client, "/v/0123456789ab/js/app.js")  # a page of an old version
    assert status == 200 and "immutable" not in headers["Cache-Control"]
    assert fetch(client, "/js/app.js")[0] == 200  # an old service worker's precache
    assert fetch(client, f"/v/{version}/js/nothing.js")[0] == 404


def test_every_screen_path_is_the_app_but_the_api_and_the_websocket_stay_404(client):
    page = fetch(client, "/")[1]
    for path in (
        "/bezoek",
        "/bezoek/12",
        "/gir/17/politie",
        "/te-doen",
        "/melden?alarm=7",
        "/inzagelog",
    ):
        status, body, headers = fetch(client, path)
        assert (status, body) == (200, page), path
        assert headers["Cache-Control"] == "no-cache"
    for path in ("/api", "/api/nothing", "/ws/x", "/v", "/js/nothing.js", "/favicon.ico"):
        assert fetch(client, path)[0] == 404, path


def test_text_files_go_out_compressed_as_the_browser_asks_and_revalidate(client):
    """A phone on a poor connection gets brotli (or gzip), a third of the bytes or less; the
    same file is compressed once, and a cached copy is checked with its ETag (304)."""
    _, raw, _ = fetch(client, "/i18n/nl.json")
    with client.get("/i18n/nl.json", headers={"Accept-Encoding": "gzip, deflate, br"}) as br:
        assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
        assert len(br.get_data()) < len(raw) / 3
        etag = br.headers["ETag"]
    with client.get("/i18n/nl.json", headers={"Accept-Encoding": "gzip"}) as gz:
        assert gz.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(gz.get_data()) == raw
    with client.get(
        "/i18n/nl.json", headers={"Accept-Encoding": "br", "If-None-Match": etag}
    ) as again:
        assert again.status_code == 304
    with client.get("/api/me") as api:
        assert "Content-Encoding" not in api.headers  # live answers are not compressed


def test_shell_files_carry_no_session_cookie_and_no_page_headers(app, client):
    """Some fifty shell files load at the start: each comes without the session cookie sent
    back and without the page's policies, which cost as much as a small module's code on a
    slow connection; the page and the API still refresh the session."""
    login(client, "sanne")
    version = shell_version(app.config["PWA_DIR"])
    with client.get(f"/v/{version}/js/dom.js") as shell_file:
        assert shell_file.status_code == 200
        assert "Set-Cookie" not in shell_file.headers
        assert "Content-Security-Policy" not in shell_file.headers
        assert "Content-Disposition" not in shell_file.headers
        assert shell_file.headers["X-Content-Type-Options"] == "nosniff"
    with client.get("/") as page:
        assert "Set-Cookie" in page.headers and "Content-Security-Policy" in page.headers
    with client.get("/api/me") as me:
        assert me.status_code == 200 and "Set-Cookie" in me.headers


def test_the_vocabulary_goes_out_compressed_per_language(client):
    login(client, "sanne")
    raws = {}
    for lang in ("nl", "en"):
        raw = raws[lang] = client.get(f"/api/vocabulary?lang={lang}").get_data()
        with client.get(f"/api/vocabulary?lang={lang}", headers={"Accept-Encoding": "br"}) as br:
            assert br.headers["Content-Encoding"] == "br"
            assert brotli.decompress(br.get_data()) == raw  # each language its own copy
            assert len(br.get_data()) < len(raw) / 2
    assert raws["nl"] != raws["en"]  # not one language's copy served for both
