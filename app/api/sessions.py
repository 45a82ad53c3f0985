"""Device sessions: see where you are logged in, revoke a lost phone."""

from __future__ import annotations

from flask_login import current_user

from app.api import bp
from app.api.endpoint import endpoint
from app.runtime import runtime
from services.accounts.capabilities import ADMINISTRATORS
from services.accounts.service import get_user, list_device_sessions, revoke_sessions_of
from services.clock import iso


@endpoint(bp, "/me/sessions", "GET", "My logged-in devices")
def my_sessions():
    with runtime().db.reader() as uow:
        found = list_device_sessions(uow.session, current_user.id)
        return {
            "sessions": [
                {
                    "key": s.id,
                    "created_at": iso(s.created_at),
                    "last_seen_at": iso(s.last_seen_at),
                    "user_agent": s.user_agent,
                    "current": s.id == current_user.session_key,
                }
                for s in found
            ]
        }


@endpoint(bp, "/me/sessions/<key>", "DELETE", "Log out one of my devices", status=204)
def revoke_my_session(key: str):
    rt = runtime()
    with rt.db.uow() as uow:
        actor = get_user(uow.session, current_user.id)
        revoke_sessions_of(
            uow, rt.events, rt.clock, actor=actor, user_id=current_user.id, session_key=key
        )
    return "", 204


@endpoint(
    bp,
    "/users/<int:user_id>/sessions",
    "DELETE",
    "Log a user out on every device (lost or stolen phone)",
    roles=ADMINISTRATORS,
)
def revoke_user_sessions(user_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        actor = get_user(uow.session, current_user.id)
        count = revoke_sessions_of(uow, rt.events, rt.clock, actor=actor, user_id=user_id)
    return {"revoked": count}
