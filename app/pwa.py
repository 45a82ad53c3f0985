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
from html import escape
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, g, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from flask_compress import Compress
from flask_compress.flask_compress import DictCache
from flask_login import current_user
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
# The login page runs app.js and its static imports; once someone is signed in, app.js imports
# session.js (home and the alarm), which imports visits and capture right after. All of it is
# the shell the service worker keeps.
ENTRY = "js/app.js"
SESSION = "js/session.js"
# index.html carries keys, the texts are in i18n/<lang>.json; the default language's texts are
# filled in when index.html is stamped, so the first paint needs no script.
DEFAULT_LANGUAGE = "nl"
I18N_TEXT = re.compile(r'(<([a-z][a-z0-9]*)\b[^>]*\sdata-i18n="([^"]+)"[^>]*>)(</\2>)')
I18N_LABEL = re.compile(r'\sdata-i18n-label="([^"]+)"')


def init_app(app) -> None:
    app.session_interface = SessionInterface()
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
def imported(pwa_dir: str, entry: str) -> tuple[str, ...]:
    """`entry` and every module it imports statically, directly or through others, nearest
    first: the order in which the browser would come across them."""
    found, todo = {}, [entry]
    while todo:
        module = todo.pop(0)
        if module not in found:
            found[module] = None
            todo += module_imports(pwa_dir, module)[0]
    return tuple(found)


@cache
def session_modules(pwa_dir: str) -> tuple[str, ...]:
    """session.js and its imports, then what it imports once home is on view (visits and
    quick capture): the signed-in start, in the order it needs them."""
    later = module_imports(pwa_dir, SESSION)[1]
    found = imported(pwa_dir, SESSION) + tuple(m for d in later for m in imported(pwa_dir, d))
    return tuple(dict.fromkeys(found))


@cache
def shell_modules(pwa_dir: str) -> tuple[str, ...]:
    """The login page's modules and the signed-in session's: the field worker's shell, which
    the service worker precaches. A module reached only through import() from elsewhere (the
    register, Te doen, the editors, the map) loads on first use."""
    return tuple(sorted({*imported(pwa_dir, ENTRY), *session_modules(pwa_dir)}))


def preloaded(pwa_dir: str, *, signed_in: bool) -> list[str]:
    """What index.html asks for at once, side by side rather than import by import: the login
    page's modules, then home's and the alarm's when the request comes with a signed-in
    cookie. In that order: over HTTP/1.1 a browser has six connections, and app.js runs
    first. Visits and capture are asked for once home is on view."""
    modules = imported(pwa_dir, ENTRY) + (imported(pwa_dir, SESSION) if signed_in else ())
    return [m for m in dict.fromkeys(modules) if m != ENTRY]


def texts(pwa_dir: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    return json.loads((Path(pwa_dir) / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def with_texts(page: str, texts: dict[str, str]) -> str:
    """Each empty element with data-i18n="key" gets its text, each data-i18n-label its
    aria-label (a key without a text stays itself: tests/api/test_i18n.py finds those)."""
    page = I18N_TEXT.sub(
        lambda m: m[1] + escape(texts.get(m[3], m[3])) + m[4],
        page,
    )
    return I18N_LABEL.sub(
        lambda m: f' aria-label="{escape(texts.get(m[1], m[1]))}"{m[0]}',
        page,
    )


@cache
def _stamped(pwa_dir: str, name: str, *, signed_in: bool = False) -> str:
    """index.html (with the default language's texts) or sw.js, with the shell version and
    the shell's modules filled in; for someone signed in, the profile is asked for at once."""
    version, modules = shell_version(pwa_dir), shell_modules(pwa_dir)
    preloads = "\n  ".join(
        ['<link rel="preload" href="/api/me" as="fetch" crossorigin>'] * signed_in
        + [
            f'<link rel="modulepreload" href="/v/{version}/{m}">'
            for m in preloaded(pwa_dir, signed_in=signed_in)
        ]
    )
    page = (
        (Path(pwa_dir) / name)
        .read_text()
        .replace("__SHELL_VERSION__", version)
        .replace("__SHELL_MODULES__", json.dumps(modules))
        .replace("<!--MODULE_PRELOADS-->", preloads)
    )
    return with_texts(page, texts(pwa_dir)) if name == "index.html" else page


def _stamped_response(
    name: str, mimetype: str, *, signed_in: bool = False, **headers: str
) -> Response:
    variant = "signed-in" if signed_in else "signed-out"
    g.pwa_file = f"{name}:{variant}"  # one compressed copy per variant
    response = Response(
        _stamped(_pwa_dir(), name, signed_in=signed_in),
        mimetype=mimetype,
        headers={"Cache-Control": "no-cache", **headers},
    )
    response.set_etag(f"{_version()}-{variant}")
    return response


def _page() -> Response:
    """index.html for every screen's path; its preloads depend on the session cookie."""
    response = _stamped_response("index.html", "text/html", signed_in=current_user.is_authenticated)
    response.vary.add("Cookie")
    return response


def _in_memory(response: Response) -> Response:
    """A file response read into memory (the files are small), so that it is compressed from
    the cache instead of as a stream per request."""
    response.direct_passthrough = False
    response.make_sequence()
    return response


# What send_file adds that a shell file does not need: a phone loads some fifty of them at the
# start, and on a slow connection each header line costs as much as a small module's code.
NEEDLESS_HEADERS = ("Content-Disposition", "Expires", "Accept-Ranges", "Last-Modified")


def _file(filename: str) -> Response:
    g.pwa_file = filename
    g.shell_file = True  # no page-only headers, no session cookie sent again (app/__init__.py)
    response = _in_memory(send_from_directory(_pwa_dir(), filename, max_age=0))
    for header in NEEDLESS_HEADERS:
        response.headers.pop(header, None)
    return response


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is refreshed by pages and the API, never by a shell file: otherwise
    every one of them would carry the cookie back (Flask refreshes a permanent session on each
    request that reads it, and flask-login reads it on each). It is Secure whenever the request
    came over HTTPS (directly or as the trusted proxy says), whatever VELDWACHT_SECURE_COOKIES
    says: that setting is for plain-http runs."""

    def should_set_cookie(self, app, session) -> bool:
        return not g.get("shell_file") and super().should_set_cookie(app, session)

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or request.is_secure


@bp.get("/")
@compress.compressed()
def index():
    return _page()


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
    return _page()
