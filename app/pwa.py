"""Serves the PWA's static files; the app shell works offline through its service worker."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("pwa", __name__)


@bp.get("/")
def index():
    return send_from_directory(current_app.config["PWA_DIR"], "index.html", max_age=0)


@bp.get("/sw.js")
def service_worker():
    # Never cached by HTTP: a stale worker would pin phones to an old app shell.
    response = send_from_directory(current_app.config["PWA_DIR"], "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/<path:filename>")
def asset(filename: str):
    if filename.startswith(("api/", "ws")):
        abort(404)
    return send_from_directory(current_app.config["PWA_DIR"], filename, max_age=0)


@bp.get("/healthz")
def health():
    return {"ok": True}
