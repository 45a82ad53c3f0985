"""Serves the PWA's static files; the app shell works offline through its service worker."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory

bp = Blueprint("pwa", __name__)


@cache
def shell_version(pwa_dir: str) -> str:
    """A hash over every shell file: the service worker's cache name, so a deploy that
    changes any file reaches phones on their next start instead of never."""
    digest = hashlib.sha256()
    for path in sorted(Path(pwa_dir).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(pwa_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/")
def index():
    return send_from_directory(current_app.config["PWA_DIR"], "index.html", max_age=0)


@bp.get("/sw.js")
def service_worker():
    pwa_dir = current_app.config["PWA_DIR"]
    source = (Path(pwa_dir) / "sw.js").read_text()
    # Never cached by HTTP: a stale worker would pin phones to an old app shell.
    return Response(source.replace("__SHELL_VERSION__", shell_version(pwa_dir)),
                    mimetype="text/javascript",
                    headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


@bp.get("/<path:filename>")
def asset(filename: str):
    if filename.startswith(("api/", "ws")):
        abort(404)
    return send_from_directory(current_app.config["PWA_DIR"], filename, max_age=0)


@bp.get("/healthz")
def health():
    return {"ok": True}
