"""The quarterly and half-year reports as documents (annex 2): the coordinator drafts one,
writes the recommendations and finalises it; managers list and download the final versions.
Also the PDF of a report as it stands, over the viewer's own scope."""

from __future__ import annotations

from typing import Literal

from flask import Response
from flask_login import current_user
from pydantic import BaseModel

from app.api import bp
from app.api.endpoint import PDF, Strict, Within, endpoint
from app.api.incidents import Text
from app.api.reports import PeriodOut, ReportParams
from app.runtime import runtime
from services.clock import local_date
from services.incidents.access import viewer_of
from services.reports import documents, periods

Kind = Literal[tuple(documents.KINDS)]


class DocumentIn(Strict):
    kind: Kind
    year: int = Within(periods.YEARS)
    number: int = Within(documents.NUMBERS["quarterly"], description="the quarter or half year")


class RecommendationsIn(Strict):
    recommendations: Text(documents.RECOMMENDATIONS)


class DocumentOut(BaseModel):
    id: int
    kind: Kind
    label: str
    period: PeriodOut
    version: int
    final: bool
    finalised_at: str | None
    finalised_by: str | None  # the coordinator's name
    created_at: str
    updated_at: str
    recommendations: str
    may_edit: bool
    pdf: str  # where to download it


class DocumentsOut(BaseModel):
    documents: list[DocumentOut]


def _json(document, viewer) -> dict:
    return {
        **documents.document_json(document, viewer),
        "pdf": f"/api/report-documents/{document.id}.pdf",
    }


def _changed(change, **arguments) -> tuple[dict, int]:
    """A change to a document by the signed-in user, answered with the document: 201 when
    the change made it (`change` answers (document, made) then)."""
    rt = runtime()
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        done = change(uow, rt.clock, viewer=viewer, **arguments)
        document, made = done if isinstance(done, tuple) else (done, False)
        return _json(document, viewer), 201 if made else 200


def _pdf(make, **arguments) -> Response:
    """A PDF made or fetched for the signed-in user, to download under its own name."""
    rt = runtime()
    with rt.db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        content, name = make(uow.session, rt.clock, viewer=viewer, org=rt.organisation, **arguments)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@endpoint(
    bp,
    "/report-documents",
    "GET",
    "The quarterly and half-year reports: final versions, and for the coordinator the drafts",
    can="reports",
    returns=DocumentsOut,
)
def list_report_documents():
    with runtime().db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        found = documents.list_documents(uow.session, viewer)
        return {"documents": [_json(d, viewer) for d in found]}


@endpoint(
    bp,
    "/report-documents",
    "POST",
    "Open the draft of a period's report (the open draft if there is one: 200)",
    body=DocumentIn,
    can="report_documents",
    status=201,
    also=(200,),
    returns=DocumentOut,
)
def open_report_document(body: DocumentIn):
    return _changed(documents.open_draft, kind=body.kind, year=body.year, number=body.number)


@endpoint(
    bp,
    "/report-documents/<int:document_id>",
    "PUT",
    "Write a draft's recommendations",
    body=RecommendationsIn,
    can="report_documents",
    returns=DocumentOut,
    errors=(409,),  # final already
)
def edit_report_document(document_id: int, body: RecommendationsIn):
    return _changed(
        documents.edit_recommendations,
        document_id=document_id,
        recommendations=body.recommendations,
    )


@endpoint(
    bp,
    "/report-documents/<int:document_id>/final",
    "POST",
    "Finalise a draft: its figures and PDF are frozen as they are now",
    can="report_documents",
    returns=DocumentOut,
    errors=(409,),  # final already
)
def finalise_report_document(document_id: int):
    return _changed(documents.finalise, org=runtime().organisation, document_id=document_id)


@endpoint(
    bp,
    "/report-documents/<int:document_id>.pdf",
    "GET",
    "A final version's PDF; a draft's (coordinator only) made from today's figures",
    can="reports",
    returns=PDF,
)
def report_document_pdf(document_id: int):
    return _pdf(documents.document_pdf, document_id=document_id)


@endpoint(
    bp,
    "/reports.pdf",
    "GET",
    "A report over my scope as a draft PDF",
    can="reports",
    query=ReportParams,
    returns=PDF,
)
def report_as_pdf(query: ReportParams):
    today = local_date(runtime().clock.now())
    return _pdf(documents.current_pdf, query=query.report_query(today))
