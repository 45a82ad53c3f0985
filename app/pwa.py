"""Serves the PWA's static files; the app shell works offline through its service worker.

Text files go out brotli- or gzip-compressed, as the browser asks (Flask-Compress): compressed
once per file and shell version, then served from memory — a phone on a poor connection loads
about a third of the bytes, and the server does not compress the same file again per request.

Without a build step, files get content-addressed URLs from the shell version: the page asks
for `/v/<shell version>/js/app.js`, and the relative imports of ES modules inherit the prefix.
Those answers may be kept for a year (`immutable`); a deploy changes the version, so the URLs.
index.html and sw.js are stamped with the version and are always revalidated. Every path that
is not a file, the API or the websocket is a screen of the app (`/gir/17`): index.html."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, g, send_from_directory
from flask_compress import Compress
from flask_compress.flask_compress import DictCache
from werkzeug.security import safe_join

bp = Blueprint("pwa", __name__)
compress = Compress()

# Brotli 6: the largest file (Leaflet, 148 KB) in 8 ms; 11 would save 9 % more but take 226 ms,
# and compressing runs in the request, on the worker every alarm goes through.
COMPRESSION = {
    "COMPRESS_REGISTER": False,  # the shell only: API answers are small and live
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 6,
    "COMPRESS_CACHE_BACKEND": DictCache,
}
IMMUTABLE = "public, max-age=31536000, immutable"
NOT_SCREENS = {"api", "ws", "v"}  # first path segments that never mean a screen of the app
# Static imports of our ES modules (`import … from "./x.js"`, `export … from`); import() is not.
STATIC_IMPORT = re.compile(r'^\s*(?:import|export)\s[^;"\']*?\bfrom\s*"([^"]+)"', re.M)
DYNAMIC_IMPORT = re.compile(r'\bimport\(\s*"([^"]+)"\s*\)')
ENTRY = "js/app.js"


def init_app(app) -> None:
    for key, value in COMPRESSION.items():
        app.config.setdefault(key, value)
    # one compressed copy per file and shell version (index.html serves every screen's path)
    app.config.setdefault(
        "COMPRESS_CACHE_KEY", lambda req: f"{_version()}:{g.get('pwa_file', req.path)}"
    )
    compress.init_app(app)
    app.register_blueprint(bp)


def _pwa_dir() -> str:
    return current_app.config["PWA_DIR"]


def _version() -> str:
    return shell_version(_pwa_dir())


@cache
def shell_version(pwa_dir: str) -> str:
    """A hash over every shell file: the service worker's cache name and the URL prefix, so a
    deploy that changes any file reaches phones on their next start instead of never."""
    digest = hashlib.sha256()
    for path in sorted(Path(pwa_dir).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(pwa_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def module_imports(pwa_dir: str, module: str) -> tuple[list[str], list[str]]:
    """(static, dynamic) imports of one module, as paths under pwa_dir ("js/api.js")."""
    source = (Path(pwa_dir) / module).read_text()
    return (
        [_resolve(module, s) for s in STATIC_IMPORT.findall(source)],
        [_resolve(module, s) for s in DYNAMIC_IMPORT.findall(source)],
    )


def _resolve(module: str, spec: str) -> str:
    """ "../api.js" imported by "js/alarm/index.js" is "js/api.js"."""
    parts = list(Path(module).parent.parts)
    for part in spec.split("/"):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


@cache
def shell_modules(pwa_dir: str) -> tuple[str, ...]:
    """js/app.js and every module it imports statically: the field worker's shell, which the
    service worker precaches. A module reached only through import() loads on first use."""
    found, todo = set(), [ENTRY]
    while todo:
        module = todo.pop()
        if module not in found:
            found.add(module)
            todo += module_imports(pwa_dir, module)[0]
    return tuple(sorted(found))


@cache
def _stamped(pwa_dir: str, name: str) -> str:
    """index.html or sw.js with the shell version and the shell's modules filled in."""
    version, modules = shell_version(pwa_dir), shell_modules(pwa_dir)
    preloads = "\n  ".join(
        f'<link rel="modulepreload" href="/v/{version}/{m}">' for m in modules if m != ENTRY
    )
    return (
        (Path(pwa_dir) / name)
        .read_text()
        .replace("__SHELL_VERSION__", version)
        .replace("__SHELL_MODULES__", json.dumps(modules))
        .replace("<!--MODULE_PRELOADS-->", preloads)
    )


def _stamped_response(name: str, mimetype: str, **headers: str) -> Response:
    g.pwa_file = name
    response = Response(
        _stamped(_pwa_dir(), name),
        mimetype=mimetype,
        headers={"Cache-Control": "no-cache", **headers},
    )
    response.set_etag(_version())
    return response


def _in_memory(response: Response) -> Response:
    """A file response read into memory (the files are small), so that it is compressed from
    the cache instead of as a stream per request."""
    response.direct_passthrough = False
    response.make_sequence()
    return response


def _file(filename: str) -> Response:
    g.pwa_file = filename
    return _in_memory(send_from_directory(_pwa_dir(), filename, max_age=0))


@bp.get("/")
@compress.compressed()
def index():
    return _stamped_response("index.html", "text/html")


@bp.get("/sw.js")
@compress.compressed()
def service_worker():
    # Never cached by HTTP: a stale worker would pin phones to an old app shell.
    return _stamped_response("sw.js", "text/javascript", **{"Service-Worker-Allowed": "/"})


@bp.get("/v/<version>/<path:filename>")
@compress.compressed()
def versioned(version: str, filename: str):
    response = _file(filename)
    # A page of an older version asking after a deploy gets today's file, never kept under
    # the old name.
    response.headers["Cache-Control"] = IMMUTABLE if version == _version() else "no-cache"
    return response


@bp.get("/<path:filename>")
@compress.compressed()
def asset(filename: str):
    """A file at its old unversioned URL (a phone with an old service worker asks for those),
    else a screen of the app."""
    if filename.split("/", 1)[0] in NOT_SCREENS:
        abort(404)
    path = safe_join(_pwa_dir(), filename)
    if path and Path(path).is_file():
        return _file(filename)
    if "." in filename.rsplit("/", 1)[-1]:
        abort(404)  # a missing file, not a screen
    return _stamped_response("index.html", "text/html")


@bp.get("/healthz")
def health():
    return {"ok": True}
