"""Settings from the environment. Secrets that must survive restarts (session key, VAPID key)
are generated once into the instance folder when not given."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from app.live import ReaderThread
from services.accounts.models import Role
from services.accounts.sso import FIELDS
from services.push.endpoints import DEFAULT_PUSH_HOSTS, parse_hosts
from services.retention import RetentionPolicy
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


def _roles(variable: str) -> frozenset[str]:
    """A comma-separated list of role names from the environment (empty: none)."""
    names = os.environ.get(variable, "")
    roles = frozenset(name.strip() for name in names.split(",") if name.strip())
    if unknown := roles - set(Role):
        raise ValueError(f"{variable}: unknown roles {sorted(unknown)}")
    return roles


def _setting(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def _single_sign_on() -> dict:
    """OpenID Connect with the municipality's identity provider (app/oidc.py, docs/sso.md):
    off, and nothing changes, while no issuer is set."""
    sso = {
        "OIDC_ISSUER": _setting("VELDWACHT_OIDC_ISSUER") or None,
        "OIDC_CLIENT_ID": _setting("VELDWACHT_OIDC_CLIENT_ID"),
        "OIDC_CLIENT_SECRET": _setting("VELDWACHT_OIDC_CLIENT_SECRET"),
        # The provider's claim that names the person, and the field of ours it is matched to.
        "OIDC_CLAIM": _setting("VELDWACHT_OIDC_CLAIM", "preferred_username"),
        "OIDC_USER_FIELD": _setting("VELDWACHT_OIDC_USER_FIELD", "username"),
        # ADFS puts its claims in the ID token only with `allatclaims` added.
        "OIDC_SCOPES": _setting("VELDWACHT_OIDC_SCOPES", "openid profile email"),
        "OIDC_LABEL": _setting("VELDWACHT_OIDC_LABEL") or None,  # None: the app's own words
        # Roles that sign in through the provider only, e.g. "leidinggevende,coordinator".
        "PASSWORD_LOGIN_OFF_FOR": _roles("VELDWACHT_PASSWORD_LOGIN_OFF_FOR"),
    }
    if sso["OIDC_USER_FIELD"] not in FIELDS:
        raise ValueError(f"VELDWACHT_OIDC_USER_FIELD: one of {', '.join(FIELDS)}")
    if "openid" not in sso["OIDC_SCOPES"].split():
        raise ValueError("VELDWACHT_OIDC_SCOPES: needs openid")
    if sso["OIDC_ISSUER"] and not (sso["OIDC_CLIENT_ID"] and sso["OIDC_CLIENT_SECRET"]):
        raise ValueError("VELDWACHT_OIDC_ISSUER needs VELDWACHT_OIDC_CLIENT_ID and _SECRET")
    if sso["PASSWORD_LOGIN_OFF_FOR"] and not sso["OIDC_ISSUER"]:  # nobody could get in
        raise ValueError("VELDWACHT_PASSWORD_LOGIN_OFF_FOR needs VELDWACHT_OIDC_ISSUER")
    return sso


def _retention() -> dict[str, int]:
    """Days each kind of data is kept (docs/retention.md): VELDWACHT_RETAIN_<KIND>_DAYS, e.g.
    VELDWACHT_RETAIN_INCIDENTS_DAYS; the defaults are RetentionPolicy's."""
    days = {}
    for kind, default in RetentionPolicy().as_days().items():
        name = f"VELDWACHT_RETAIN_{kind.upper()}_DAYS"
        value = _setting(name, str(default))
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{name}: a whole number of days, at least 1")
        days[kind] = int(value)
    return days


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
        # Hosts of the push services the server may send to (host names, `*.suffix`); the
        # browsers' own by default. Any other endpoint is refused (services/push/endpoints.py).
        "PUSH_HOSTS": parse_hosts(_setting("VELDWACHT_PUSH_HOSTS", ",".join(DEFAULT_PUSH_HOSTS))),
        # Tests only: also http and loopback addresses (the tests' loopback push service).
        "PUSH_ALLOW_HTTP": _flag("VELDWACHT_PUSH_ALLOW_HTTP"),
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
        # A team or function group's picture needs this many respondents (seed 000, privacy).
        "LEARNING_MIN_RESPONDENTS": max(
            1, int(os.environ.get("VELDWACHT_LEARNING_MIN_RESPONDENTS", "5"))
        ),
        "TRUSTED_PROXIES": int(os.environ.get("VELDWACHT_TRUSTED_PROXIES", "0")),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        # A device session unused this long is over: at a desk (managers, the coordinator,
        # the administrator) sooner than on a field worker's phone, where an alarm must
        # never meet a login screen.
        "IDLE_LIMIT_OVERSEERS": timedelta(
            hours=float(os.environ.get("VELDWACHT_IDLE_HOURS_OVERSEERS", "12"))
        ),
        # Roles that must have a second factor (TOTP) before anything else, e.g.
        # "leidinggevende,coordinator,beheerder": those who read aggressors' details.
        "MFA_ROLES": _roles("VELDWACHT_MFA_ROLES"),
        "IDLE_LIMIT_FIELD": timedelta(
            hours=float(os.environ.get("VELDWACHT_IDLE_HOURS_FIELD", str(30 * 24)))
        ),
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
        "RETENTION": _retention(),
        **_single_sign_on(),
    }
    config.update(overrides)
    return config
