"""The audit trail for the coordinator: who saw which aggressor details or position, who
looked up what in the register, who exported what; searched by period, person and subject,
paged, and exported as CSV (the export is itself written down)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from flask_login import current_user
from pydantic import BaseModel, Field

from app.api import bp
from app.api.downloads import csv_file
from app.api.endpoint import CSV, Day, Id, Query, Within, endpoint
from app.api.views import Named
from app.runtime import runtime
from services.audit import trail
from services.clock import local_midnight


class TrailQuery(Query):
    date_from: Day | None = Field(default=None, alias="from", description="first local date")
    date_to: Day | None = Field(default=None, alias="to", description="last local date")
    person: Id | None = Field(default=None, description="the user who acted")
    subject: Literal[trail.SUBJECTS] | None = None
    subject_id: Id | None = Field(default=None, description="e.g. the incident's number")
    act: Literal[trail.ACTS] | None = None

    def trail_filter(self) -> trail.TrailFilter:
        return trail.TrailFilter(
            since=self.date_from and local_midnight(self.date_from),
            until=self.date_to and local_midnight(self.date_to + timedelta(days=1)),
            actor_id=self.person,
            subject=self.subject,
            subject_id=self.subject_id,
            act=self.act,
        )


class TrailPageQuery(TrailQuery):
    limit: int = Within(trail.PAGE, default=50)
    before: Id | None = Field(default=None, description="id to continue before")


class TrailEntry(BaseModel):
    id: int
    at: datetime
    actor: Named | None
    act: str
    subject: str
    subject_id: int | None
    purpose: str
    shown: dict  # what was shown, as the act recorded it


class TrailOut(BaseModel):
    entries: list[TrailEntry]
    before: int | None  # the id to continue before; None: this was the last page


@endpoint(
    bp,
    "/audit",
    "GET",
    "The audit trail, newest first, filtered and paged",
    can="audit_trail",
    query=TrailPageQuery,
    returns=TrailOut,
)
def audit_trail(query: TrailPageQuery):
    with runtime().db.reader() as uow:
        rows, more = trail.entries(
            uow.session,
            current_user.id,
            query.trail_filter(),
            limit=query.limit,
            before=query.before,
        )
        return {"entries": [trail.entry_json(r) for r in rows], "before": more}


@endpoint(
    bp,
    "/audit.csv",
    "GET",
    "The filtered audit trail as CSV (the export is written down too)",
    can="audit_trail",
    query=TrailQuery,
    returns=CSV,
)
def export_audit_trail(query: TrailQuery):
    rt = runtime()
    with rt.db.uow() as uow:
        text, _ = trail.export_csv(
            uow.session, rt.clock.now(), viewer_id=current_user.id, found=query.trail_filter()
        )
    return csv_file(text, "inzagelog")
