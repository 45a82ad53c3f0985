"""Transparency for staff: what is kept about them and how long (the privacy page), and who
was given or read their own position at an alarm or a visit."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask_login import current_user
from pydantic import BaseModel

from app.api import bp
from app.api.endpoint import endpoint
from app.i18n import translate
from app.runtime import runtime
from services.clock import iso
from services.retention.policy import kept_since
from services.transparency.positions import position_views
from services.transparency.statement import privacy_statement


class Kept(BaseModel):
    days: int | None  # None: as long as the account or the register entry lasts
    text: str


class RoleLabel(BaseModel):
    role: str
    label: str


class Processing(BaseModel):
    key: str
    title: str
    data: str
    purpose: str
    ground: str
    kept: Kept
    who: str
    roles: list[RoleLabel]


class PrivacyOut(BaseModel):
    controller: str
    promise: str
    rights: str
    processings: list[Processing]


class Viewer(BaseModel):
    id: int
    name: str


class PositionView(BaseModel):
    person: Viewer
    role: str
    role_label: str
    what: str  # alerted, followed, received, answered, read
    what_label: str
    at: datetime


class PositionItem(BaseModel):
    """An alarm or visit of mine whose position is kept, with who was given or read it."""

    kind: Literal["alarm", "visit"]
    id: int
    test: bool
    at: datetime | None
    closed_at: datetime | None
    place: str | None
    views: list[PositionView]


class PositionViewsOut(BaseModel):
    since: datetime
    items: list[PositionItem]


@endpoint(
    bp,
    "/privacy",
    "GET",
    "What Veldwacht keeps about people, why, on what ground, how long (the configured "
    "retention periods) and who sees it",
    returns=PrivacyOut,
)
def privacy():
    rt = runtime()
    return privacy_statement(
        organisation=rt.organisation.name, retention=rt.retention.as_days(), words=translate
    )


@endpoint(
    bp,
    "/me/position-views",
    "GET",
    "Who was given or read my position at my alarms and visits, for as long as it is kept",
    returns=PositionViewsOut,
)
def my_position_views():
    rt = runtime()
    since = kept_since(rt.clock.now(), rt.retention.positions)
    with rt.db.reader() as uow:
        items = position_views(uow.session, current_user.id, since, words=translate)
    return {"since": iso(since), "items": items}
