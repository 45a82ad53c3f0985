"""Serves the PWA's static files; the app shell works offline through its service worker.

Text files go out brotli- or gzip-compressed, as the browser asks (Flask-Compress): compressed
once per file and shell version, then served from memory — a phone on a poor connection loads
about a third of the bytes, and the server does not compress the same file again per request."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory
from flask_compress import Compress
from flask_compress.flask_compress import DictCache

bp = Blueprint("pwa", __name__)
compress = Compress()

# Brotli 6: the largest file (Leaflet, 148 KB) in 8 ms; 11 would save 9 % more but take 226 ms,
# and compressing runs in the request, on the worker every alarm goes through.
COMPRESSION = {"COMPRESS_REGISTER": False,  # the shell only: API answers are small and live
               "COMPRESS_ALGORITHM": ["br", "gzip"], "COMPRESS_BR_LEVEL": 6,
               "COMPRESS_CACHE_BACKEND": DictCache}


def init_app(app) -> None:
    for key, value in COMPRESSION.items():
        app.config.setdefault(key, value)
    # one compressed copy per file and shell version; a deploy changes the version
    app.config.setdefault("COMPRESS_CACHE_KEY", lambda req: f"{_version()}:{req.path}")
    compress.init_app(app)
    app.register_blueprint(bp)


def _version() -> str:
    return shell_version(current_app.config["PWA_DIR"])


def _in_memory(response: Response) -> Response:
    """A file response read into memory (the files are small), so that it is compressed from
    the cache instead of as a stream per request."""
    response.direct_passthrough = False
    response.make_sequence()
    return response


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
@compress.compressed()
def index():
    return _in_memory(send_from_directory(current_app.config["PWA_DIR"], "index.html",
                                          max_age=0))


@bp.get("/sw.js")
@compress.compressed()
def service_worker():
    pwa_dir = current_app.config["PWA_DIR"]
    source = (Path(pwa_dir) / "sw.js").read_text()
    # Never cached by HTTP: a stale worker would pin phones to an old app shell.
    return Response(source.replace("__SHELL_VERSION__", shell_version(pwa_dir)),
                    mimetype="text/javascript",
                    headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


@bp.get("/<path:filename>")
@compress.compressed()
def asset(filename: str):
    if filename.startswith(("api/", "ws")):
        abort(404)
    return _in_memory(send_from_directory(current_app.config["PWA_DIR"], filename, max_age=0))


@bp.get("/healthz")
def health():
    return {"ok": True}
