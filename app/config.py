"""Settings from the environment. Secrets that must survive restarts (session key, VAPID key)
are generated once into the instance folder when not given."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from app.live import ReaderThread
from services.secrets_file import create_once

ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key(instance: Path) -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    create_once(path, lambda: secrets.token_hex(32).encode())
    return path.read_text().strip()


def load_config(overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    instance = Path(
        overrides.get("INSTANCE_PATH")
        or os.environ.get("VELDWACHT_INSTANCE_PATH")
        or ROOT / "instance"
    ).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    config = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'veldwacht.db'}",
        # Several workers share live events, presence and counters through Redis; without it
        # there must be exactly one worker (app/gunicorn_conf.py).
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "REDIS_PREFIX": os.environ.get("VELDWACHT_REDIS_PREFIX", "veldwacht"),
        "SECRET_KEY": _secret_key(instance),
        "VAPID_KEY_PATH": str(instance / "vapid_private.pem"),
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "mailto:beheer@veldwacht.invalid"),
        # A safety event that arrives after its TTL is worse than useless; the push service
        # drops it instead, and the app's replay shows it when the phone is back.
        "PUSH_TTL_SECONDS": int(os.environ.get("VELDWACHT_PUSH_TTL", "900")),
        "PUSH_ALLOW_HTTP": _flag("VELDWACHT_PUSH_ALLOW_HTTP"),  # tests' loopback push service
        # Seconds in a visit "minute": 60 in real use; tests and demos shorten it.
        "VISIT_MINUTE_SECONDS": float(os.environ.get("VELDWACHT_VISIT_MINUTE_SECONDS", "60")),
        "SWEEP_SECONDS": float(os.environ.get("VELDWACHT_SWEEP_SECONDS", "1")),
        "TILE_URL": os.environ.get(
            "VELDWACHT_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        ),
        "TILE_ATTRIBUTION": os.environ.get(
            "VELDWACHT_TILE_ATTRIBUTION", "© OpenStreetMap-bijdragers"
        ),
        "HEARTBEAT_SECONDS": float(os.environ.get("VELDWACHT_HEARTBEAT_SECONDS", "30")),
        "WS_PING_SECONDS": float(os.environ.get("VELDWACHT_WS_PING_SECONDS", "30")),
        # No ping_interval: app/live.py's pacemaker pings every connection, rather than
        # simple-websocket with a timer and a selector per connection.
        "SOCK_SERVER_OPTIONS": {"max_message_size": 4096, "thread_class": ReaderThread},
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("VELDWACHT_SECURE_COOKIES"),
        # Proxies in front (nginx terminating TLS) whose X-Forwarded-Proto/-Host are believed:
        # without, a page on https:// would look like another site's to the Origin check.
        "TRUSTED_PROXIES": int(os.environ.get("VELDWACHT_TRUSTED_PROXIES", "0")),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        "REMEMBER_COOKIE_DURATION": timedelta(days=90),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("VELDWACHT_SECURE_COOKIES"),
        "PWA_DIR": str(ROOT / "pwa"),
        # Who the letters to aggressors come from (annexes 4-7): the municipality's own data.
        "ORGANISATION": {
            "name": os.environ.get("VELDWACHT_ORG_NAME", "Gemeente Demodorp"),
            "visiting_address": os.environ.get(
                "VELDWACHT_ORG_ADDRESS", "Raadhuisplein 1, 1234 AB Demodorp"
            ),
            "postal_address": os.environ.get(
                "VELDWACHT_ORG_POSTAL_ADDRESS", "Antwoordnummer 1234, 1230 VB Demodorp"
            ),
            "place": os.environ.get("VELDWACHT_ORG_PLACE", "Demodorp"),
            "signatory_name": os.environ.get("VELDWACHT_ORG_SIGNATORY", "M. Hendriks"),
            "signatory_role": os.environ.get("VELDWACHT_ORG_SIGNATORY_ROLE", "Gemeentesecretaris"),
        },
    }
    config.update(overrides)
    return config
