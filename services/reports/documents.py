"""The quarterly report and the half-year progress report of annex 2 as documents, stored and
versioned like the letters: the coordinator (the prevention officer) opens a draft for a
period, writes the recommendations, and finalises it, which freezes the report as it is then
(over the whole organisation) and its PDF. A final version never changes; a correction is the
next version, starting from the last one's recommendations. Managers, who discuss the reports
in their departments, read the final versions; a draft is the coordinator's alone."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload

from services.accounts.capabilities import roles_for
from services.clock import Clock, iso, local_date
from services.db import UnitOfWork, lock_key
from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.followup.letters import Organisation, dutch_date
from services.incidents.access import Viewer
from services.limits import Limit
from services.reports import build_report
from services.reports.models import ReportDocument
from services.reports.periods import YEARS, Period, half_year, quarter
from services.reports.query import ReportQuery

KINDS = {
    "quarterly": "Kwartaalrapportage agressie en geweld",
    "half_year": "Halfjaarrapportage agressie en geweld",
}
FILE_NAMES = {"quarterly": "kwartaalrapportage", "half_year": "halfjaarrapportage"}
PERIOD_KINDS = {"quarterly": "quarter", "half_year": "half_year"}  # services/reports/periods
NUMBERS = {"quarterly": Limit(4, min=1), "half_year": Limit(2, min=1)}
RECOMMENDATIONS = Limit(20_000)
WRITERS = roles_for("report_documents")  # the coordinator
READERS = roles_for("reports")  # managers too: they discuss the final versions


# ---- rules -----------------------------------------------------------------------------------


def period_of(kind: str, year: int, number: int) -> Period:
    """The quarter or half year a document of `kind` is about."""
    if kind not in KINDS:
        raise Invalid("Onbekende soort rapportage.", {"kind": "onbekend"})
    if not YEARS.min <= year <= YEARS.max:
        raise Invalid(
            "Kies een jaar van {min} tot en met {max}.", {"year": "ongeldig"}, **YEARS.published()
        )
    if not NUMBERS[kind].min <= number <= NUMBERS[kind].max:
        raise Invalid(
            "Een kwartaal is 1 tot en met 4, een halfjaar 1 of 2.", {"number": "ongeldig"}
        )
    return (quarter if kind == "quarterly" else half_year)(year, number)


def period_of_document(document: ReportDocument) -> Period:
    return Period(PERIOD_KINDS[document.kind], document.period_first, document.period_last)


def title_of(kind: str, period: Period) -> str:
    """ "Kwartaalrapportage agressie en geweld — 4e kwartaal 2026"."""
    return f"{KINDS[kind]} — {period.label}"


def final_status(version: int, on: date, name: str) -> str:
    return f"Definitief, versie {version}, {dutch_date(on)}, {name}"


def file_name(kind: str, period: Period, version: int | None = None, final: bool = False) -> str:
    """kwartaalrapportage-2026-Q4-v2.pdf; a draft's ends in -concept."""
    half = kind == "half_year"
    number = (period.first.month - 1) // (6 if half else 3) + 1
    parts = [FILE_NAMES[kind], str(period.first.year), f"{'H' if half else 'Q'}{number}"]
    parts += [f"v{version}"] if version is not None else []
    return "-".join(parts + ([] if final else ["concept"])) + ".pdf"


def check_recommendations(text: str) -> str:
    if len(text) > RECOMMENDATIONS.max:
        raise Invalid(
            "De aanbevelingen zijn hoogstens {max} tekens.",
            {"recommendations": "te lang"},
            **RECOMMENDATIONS.published(),
        )
    return text


def _writer(viewer: Viewer) -> None:
    if viewer.user.role not in WRITERS:
        raise NotAllowed("Alleen de coördinator stelt de kwartaal- en halfjaarrapportages op.")


def _reader(viewer: Viewer) -> None:
    if viewer.user.role not in READERS:
        raise NotAllowed("Je rol geeft geen toegang tot de rapportages.")


def _document(session: Session, viewer: Viewer, document_id: int, *, lock=False) -> ReportDocument:
    """A document this viewer may know of: a draft exists for the coordinator only."""
    _reader(viewer)
    document = session.get(ReportDocument, document_id, with_for_update=lock)
    if document is None or not (document.final or viewer.user.role in WRITERS):
        raise NotFound("Onbekende rapportage.")
    return document


def _draft(session: Session, viewer: Viewer, document_id: int) -> ReportDocument:
    _writer(viewer)
    document = _document(session, viewer, document_id, lock=True)
    if document.final:
        raise Conflict(
            "Deze versie is definitief en verandert niet meer; maak zo nodig een nieuwe versie."
        )
    return document


# ---- reading ---------------------------------------------------------------------------------


def list_documents(session: Session, viewer: Viewer) -> list[ReportDocument]:
    """Newest period first, and within a period the latest version first; the coordinator
    sees the drafts too."""
    _reader(viewer)
    statement = (
        select(ReportDocument)
        .options(
            defer(ReportDocument.report),
            defer(ReportDocument.pdf),
            joinedload(ReportDocument.finalised_by),
        )
        .order_by(
            ReportDocument.period_last.desc(),
            ReportDocument.period_first.desc(),
            ReportDocument.version.desc(),
        )
    )
    if viewer.user.role not in WRITERS:
        statement = statement.where(ReportDocument.finalised_at.is_not(None))
    return list(session.scalars(statement))


def document_json(document: ReportDocument, viewer: Viewer) -> dict:
    period = period_of_document(document)
    return {
        "id": document.id,
        "kind": document.kind,
        "label": title_of(document.kind, period),
        "period": {
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "label": period.label,
        },
        "version": document.version,
        "final": document.final,
        "finalised_at": iso(document.finalised_at),
        "finalised_by": document.finalised_by.name if document.finalised_by else None,
        "created_at": iso(document.created_at),
        "updated_at": iso(document.updated_at),
        "recommendations": document.recommendations,
        "may_edit": not document.final and viewer.user.role in WRITERS,
    }


# ---- writing ---------------------------------------------------------------------------------


def open_draft(
    uow: UnitOfWork, clock: Clock, *, viewer: Viewer, kind: str, year: int, number: int
) -> tuple[ReportDocument, bool]:
    """The period's open draft (False: it existed), else a new version (True) that starts
    with the last final version's recommendations."""
    _writer(viewer)
    period, session, now = period_of(kind, year, number), uow.session, clock.now()
    if period.first > local_date(now):
        raise Invalid("Deze periode is nog niet begonnen.", {"number": "in de toekomst"})
    lock_key(session, "report_document", f"{kind} {period.first}")  # one new version at a time
    latest = session.scalar(
        select(ReportDocument)
        .where(ReportDocument.kind == kind, ReportDocument.period_first == period.first)
        .order_by(ReportDocument.version.desc())
        .limit(1)
    )
    if latest is not None and not latest.final:
        return latest, False
    document = ReportDocument(
        kind=kind,
        period_first=period.first,
        period_last=period.last,
        version=latest.version + 1 if latest else 1,
        recommendations=latest.recommendations if latest else "",
        created_by_id=viewer.user.id,
        created_at=now,
        updated_at=now,
    )
    session.add(document)
    session.flush()
    return document, True


def edit_recommendations(
    uow: UnitOfWork, clock: Clock, *, viewer: Viewer, document_id: int, recommendations: str
) -> ReportDocument:
    document = _draft(uow.session, viewer, document_id)
    document.recommendations = check_recommendations(recommendations)
    document.updated_at = clock.now()
    return document


def finalise(
    uow: UnitOfWork, clock: Clock, *, viewer: Viewer, org: Organisation, document_id: int
) -> ReportDocument:
    """Freeze the report over the coordinator's scope (the whole organisation) and its PDF —
    once the period is over: a final version of a quarter still running would freeze figures
    the next reports add to."""
    document, now = _draft(uow.session, viewer, document_id), clock.now()
    if local_date(now) <= document.period_last:
        raise Conflict(
            "Deze periode loopt nog tot en met {last}: maak de rapportage daarna definitief.",
            last=dutch_date(document.period_last),
        )
    status = final_status(document.version, local_date(now), viewer.user.name)
    document.report, document.pdf = _made(
        uow.session, document, viewer=viewer, org=org, status=status, now=now
    )
    document.finalised_at, document.finalised_by_id = now, viewer.user.id
    document.updated_at = now
    return document


def _made(session, document: ReportDocument, *, viewer: Viewer, org, status: str, now):
    """The document's report as of `now` over the viewer's scope, and its PDF."""
    from services.reports.pdf import report_pdf  # fpdf2 loads only when a PDF is made

    period = period_of_document(document)
    report = build_report(session, viewer=viewer, query=ReportQuery(period=period), now=now)
    pdf = report_pdf(
        report,
        organisation=org,
        title=title_of(document.kind, period),
        recommendations=document.recommendations,
        status=status,
    )
    return report, pdf


# ---- PDFs ------------------------------------------------------------------------------------


def document_pdf(
    session: Session, clock: Clock, *, viewer: Viewer, org: Organisation, document_id: int
) -> tuple[bytes, str]:
    """A final version's stored PDF; a draft's made afresh from today's figures."""
    document = _document(session, viewer, document_id)
    name = file_name(document.kind, period_of_document(document), document.version, document.final)
    if document.final:
        return document.pdf, name
    status = f"Concept, versie {document.version}"
    made = _made(session, document, viewer=viewer, org=org, status=status, now=clock.now())
    return made[1], name


def current_pdf(
    session: Session, clock: Clock, *, viewer: Viewer, org: Organisation, query: ReportQuery
) -> tuple[bytes, str]:
    """The report as it stands now over the viewer's own scope, as a draft PDF."""
    from services.reports.pdf import report_pdf

    _reader(viewer)
    period = query.period
    report = build_report(session, viewer=viewer, query=query, now=clock.now())
    kind = next((k for k, p in PERIOD_KINDS.items() if p == period.kind), None)
    title = title_of(kind, period) if kind else f"Rapportage agressie en geweld — {period.label}"
    name = file_name(kind, period) if kind else f"rapportage-{period.first}-{period.last}.pdf"
    pdf = report_pdf(report, organisation=org, title=title, recommendations=None, status="Concept")
    return pdf, name
