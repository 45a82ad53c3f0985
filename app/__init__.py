"""Veldwacht's Flask app factory."""

from __future__ import annotations

import atexit
from urllib.parse import urlsplit

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import api, cli, health, logs, pwa, ws
from app.api import errors
from app.config import load_config
from app.extensions import login_manager, sock
from app.runtime import build_runtime


class DatabaseId(IntegerConverter):
    """`<int:...>` in a route: an id the database can hold; a larger one is simply not found
    (404) instead of an integer overflow in SQLite (500)."""

    def __init__(self, map, **kwargs):
        super().__init__(map, **{"max": 2**62, **kwargs})


def _secure_cookies_over_https(response):
    """Over HTTPS every cookie set in an answer (remember-me, a remembered device) is Secure,
    as the session cookie is (app/pwa.py): whatever VELDWACHT_SECURE_COOKIES says."""
    if request.is_secure:
        cookies = response.headers.getlist("Set-Cookie")
        response.headers.setlist(
            "Set-Cookie", [c if "; Secure" in c else f"{c}; Secure" for c in cookies]
        )
    return response


def create_app(overrides: dict | None = None) -> Flask:
    config = load_config(overrides)
    app = Flask(__name__, instance_path=config["INSTANCE_PATH"], static_folder=None)
    app.config.update(config)
    logs.init_app(app)
    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    # Registered before flask-login's own: after-request functions run last first, so this
    # sees the remember-me cookie it sets.
    app.after_request(_secure_cookies_over_https)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"  # phones change IP all day; "strong" logs out
    sock.init_app(app)
    errors.register(app)
    app.url_map.converters["int"] = DatabaseId
    api.register(app)
    app.register_blueprint(ws.bp)
    app.register_blueprint(health.bp)
    pwa.init_app(app)
    cli.register(app)

    rt = build_runtime(app.config)
    app.extensions["veldwacht"] = rt
    atexit.register(rt.close)

    @login_manager.unauthorized_handler
    def unauthorized():
        return errors.api_error(401, "Log eerst in.")

    tiles = "{0.scheme}://{0.netloc}".format(urlsplit(app.config["TILE_URL"]))

    @app.after_request
    def close_when_handing_over(response):
        """A worker that hands over (app/handover.py) ends each keep-alive connection after
        its answer: the phone's next request opens a new one, to a new worker, rather than
        meet this one's exit on a connection it thought open."""
        if rt.hub.closing:
            response.headers["Connection"] = "close"
        return response

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if g.get("shell_file"):  # a script, style or icon: the policies are the page's
            return response
        host = request.host
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; connect-src 'self' ws://{host} wss://{host}; "
            f"img-src 'self' data: blob: {tiles}; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # The position is asked by the app itself only; nothing may use camera or microphone.
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(self), camera=(), microphone=()"
        )
        if request.is_secure:  # over HTTPS (directly or as the trusted proxy says): stay there
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")

        if request.path.startswith("/api/") and "Cache-Control" not in response.headers:
            # Answers carry personal data (aggressors', a victim's, positions): no cache keeps
            # them; what may be kept (the vocabulary) says so itself.
            response.headers["Cache-Control"] = "no-store"
        return response

    return app
