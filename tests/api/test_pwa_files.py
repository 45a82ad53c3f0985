"""The shell is served so that it installs, and so that a changed shell reaches phones."""
import gzip
import json
import re
from pathlib import Path

from app.pwa import shell_version


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


def test_every_shell_file_is_precached_for_offline_start(app):
    """A module missing from the precache list would break the offline start silently."""
    pwa = Path(app.config["PWA_DIR"])
    source = (pwa / "sw.js").read_text()
    shell = set(re.findall(r'^\s*"(/[^"]*)",?$', source.split("];")[0], re.M))
    files = {"/" + p.relative_to(pwa).as_posix() for p in pwa.rglob("*") if p.is_file()}
    assert files - {"/sw.js", "/index.html"} <= shell
    assert "/" in shell


def test_text_files_go_out_compressed_as_the_browser_asks_and_revalidate(client):
    """A phone on a poor connection gets brotli (or gzip), a third of the bytes or less; the
    same file is compressed once, and a cached copy is checked with its ETag (304)."""
    _, raw, _ = fetch(client, "/js/i18n.js")
    with client.get("/js/i18n.js", headers={"Accept-Encoding": "gzip, deflate, br"}) as br:
        assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
        assert len(br.get_data()) < len(raw) / 3
        etag = br.headers["ETag"]
    with client.get("/js/i18n.js", headers={"Accept-Encoding": "gzip"}) as gz:
        assert gz.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(gz.get_data()) == raw
    with client.get("/js/i18n.js", headers={"Accept-Encoding": "br",
                                            "If-None-Match": etag}) as again:
        assert again.status_code == 304
    with client.get("/api/me") as api:
        assert "Content-Encoding" not in api.headers  # live answers are not compressed
