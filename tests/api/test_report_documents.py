"""The quarterly and half-year reports as documents over HTTP: the coordinator drafts, edits
and finalises; a final version never changes and its PDF holds the figures of the report of
the same period; a correction is the next version; managers read final versions only; bad
input is refused in Dutch, never with a 500."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time, timedelta

import pypdf
import pytest

from services.clock import local_date
from services.reports.pdf import figure, share, signed
from services.reports.periods import half_year, quarter
from tests.api.test_incidents_api import capture

# The app runs on the real clock: a report is final once its period is over, so these are
# about the last quarter and half year before today's.
TODAY = local_date(datetime.now(UTC))
LAST = quarter(TODAY.year, (TODAY.month - 1) // 3 + 1).previous()
LAST_HALF = half_year(TODAY.year, 1 if TODAY.month <= 6 else 2).previous()
YEAR, QUARTER = LAST.first.year, (LAST.first.month - 1) // 3 + 1
HALF_YEAR, HALF = LAST_HALF.first.year, 1 if LAST_HALF.first.month == 1 else 2
THIS_QUARTER = {"kind": "quarterly", "year": YEAR, "number": QUARTER}
IN_IT = datetime.combine(LAST.first + timedelta(days=20), time(10), tzinfo=UTC).isoformat()
FILE = f"kwartaalrapportage-{YEAR}-Q{QUARTER}"
RECOMMENDATIONS = "Meer training voor de “balie”: € 2.000 begroten 🙂.\n\nAlarmknoppen testen."


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def file_name(answer) -> str:
    return re.fullmatch(r'attachment; filename="(.+)"', answer.headers["Content-Disposition"])[1]


def figure_lines(report: dict) -> list[str]:
    """Each row of each table as the PDF's table prints it."""
    lines = []
    for section in report["sections"]:
        for table in section["tables"]:
            for r in table["rows"]:
                if "values" in r:
                    lines.append(" ".join([r["label"], *map(figure, r["values"])]))
                    continue
                value = share(r["value"], r["of"], r["percent"])
                previous = share(r["previous"], r["previous_of"])
                lines.append(" ".join([r["label"], value, previous, signed(r["change"])]))
    return lines


def open_draft(client, **body) -> dict:
    answer = client.post("/api/report-documents", json={**THIS_QUARTER, **body})
    assert answer.status_code in (200, 201), answer.get_json()
    return answer.get_json()


def test_the_coordinator_drafts_edits_and_finalises_the_quarterly_report(clients):
    capture(clients["sanne"], occurred_at=IN_IT)  # a figure that is not 0
    coordinator = clients["coordinator"]
    opened = coordinator.post("/api/report-documents", json=THIS_QUARTER)
    assert opened.status_code == 201
    draft = opened.get_json()
    assert (draft["version"], draft["final"], draft["may_edit"]) == (1, False, True)
    assert draft["recommendations"] == "" and draft["finalised_by"] is None
    assert (
        draft["kind"] == "quarterly" and draft["period"]["label"] == f"{QUARTER}e kwartaal {YEAR}"
    )
    assert draft["label"] == f"Kwartaalrapportage agressie en geweld — {QUARTER}e kwartaal {YEAR}"
    again = coordinator.post("/api/report-documents", json=THIS_QUARTER)
    assert again.status_code == 200 and again.get_json()["id"] == draft["id"]

    path = f"/api/report-documents/{draft['id']}"
    edited = coordinator.put(path, json={"recommendations": RECOMMENDATIONS})
    assert edited.status_code == 200 and edited.get_json()["recommendations"] == RECOMMENDATIONS
    concept = coordinator.get(f"{path}.pdf")
    assert concept.status_code == 200 and concept.mimetype == "application/pdf"
    assert file_name(concept) == f"{FILE}-v1-concept.pdf"
    assert "Status: Concept, versie 1" in pdf_text(concept.data)

    query = f"period=quarter&year={YEAR}&number={QUARTER}"
    report = coordinator.get(f"/api/reports?{query}").get_json()
    final = coordinator.post(f"{path}/final", json={})
    assert final.status_code == 200, final.get_json()
    assert final.get_json()["final"] is True and final.get_json()["may_edit"] is False
    assert final.get_json()["finalised_by"] == "Ingrid Smit"

    stored = coordinator.get(f"{path}.pdf")
    assert file_name(stored) == f"{FILE}-v1.pdf"
    text = pdf_text(stored.data)
    assert "Meer training voor de “balie”: € 2.000 begroten ?. Alarmknoppen testen." in text
    assert "Status: Definitief, versie 1, " in text and "Bereik: Hele organisatie" in text
    assert any(r.get("value") for s in report["sections"] for t in s["tables"] for r in t["rows"])
    for line in figure_lines(report):
        assert line in text, line
    assert coordinator.get(f"{path}.pdf").data == stored.data  # stored, not made again

    changed = coordinator.put(path, json={"recommendations": "Toch anders."})
    assert changed.status_code == 409
    assert changed.get_json()["error"].startswith("Deze versie is definitief")
    assert coordinator.post(f"{path}/final", json={}).status_code == 409


def test_a_correction_is_the_next_version_with_the_recommendations_carried_over(clients):
    coordinator = clients["coordinator"]
    first = open_draft(coordinator)
    coordinator.put(f"/api/report-documents/{first['id']}", json={"recommendations": "Eerst."})
    coordinator.post(f"/api/report-documents/{first['id']}/final", json={})
    opened = coordinator.post("/api/report-documents", json=THIS_QUARTER)
    assert opened.status_code == 201
    second = opened.get_json()
    assert (second["version"], second["recommendations"], second["final"]) == (2, "Eerst.", False)
    assert open_draft(coordinator)["id"] == second["id"]  # one open draft per period
    half = open_draft(coordinator, kind="half_year", year=HALF_YEAR, number=HALF)
    assert (half["version"], half["recommendations"]) == (1, "")
    listed = coordinator.get("/api/report-documents").get_json()["documents"]
    ours = [(d["kind"], d["version"]) for d in listed]
    assert ours.index(("quarterly", 2)) < ours.index(("quarterly", 1))
    assert set(ours) == {("quarterly", 2), ("quarterly", 1), ("half_year", 1)}


def test_managers_read_final_versions_only_and_workers_nothing(clients):
    coordinator, manager, worker = clients["coordinator"], clients["lisa"], clients["sanne"]
    first = open_draft(coordinator)
    coordinator.post(f"/api/report-documents/{first['id']}/final", json={})
    draft = open_draft(coordinator)
    listed = manager.get("/api/report-documents").get_json()["documents"]
    assert [(d["id"], d["final"], d["may_edit"]) for d in listed] == [(first["id"], True, False)]
    assert listed[0]["pdf"] == f"/api/report-documents/{first['id']}.pdf"
    download = manager.get(listed[0]["pdf"])
    assert download.status_code == 200 and file_name(download) == f"{FILE}-v1.pdf"
    assert download.data == coordinator.get(listed[0]["pdf"]).data
    unseen = manager.get(f"/api/report-documents/{draft['id']}.pdf")
    assert unseen.status_code == 404 and unseen.get_json()["error"] == "Onbekende rapportage."
    for method, path in (
        ("POST", "/api/report-documents"),
        ("PUT", f"/api/report-documents/{draft['id']}"),
        ("POST", f"/api/report-documents/{draft['id']}/final"),
    ):
        body = {**THIS_QUARTER} if method == "POST" and path.endswith("documents") else {}
        assert manager.open(path, method=method, json=body).status_code == 403, path
    for path in (
        "/api/report-documents",
        f"/api/report-documents/{first['id']}.pdf",
        f"/api/reports.pdf?period=quarter&year={YEAR}&number={QUARTER}",
    ):
        answer = worker.get(path)
        assert answer.status_code == 403, path
        assert answer.get_json()["error"] == "Je rol geeft geen toegang tot dit onderdeel."


@pytest.mark.parametrize(
    "body,field",
    [
        ({**THIS_QUARTER, "kind": "monthly"}, "kind"),
        ({**THIS_QUARTER, "number": 5}, "number"),
        ({**THIS_QUARTER, "number": 0}, "number"),
        ({"kind": "half_year", "year": YEAR, "number": 3}, "number"),
        ({**THIS_QUARTER, "year": 1800}, "year"),
        ({**THIS_QUARTER, "year": YEAR + 1, "number": 1}, "number"),  # not begun
        ({**THIS_QUARTER, "year": str(YEAR)}, "year"),
        ({**THIS_QUARTER, "number": 2.5}, "number"),
        ({"kind": "quarterly", "year": YEAR}, "number"),
        ({**THIS_QUARTER, "recommendations": "x"}, "recommendations"),
    ],
)
def test_a_bad_period_is_refused_in_dutch(clients, body, field):
    answer = clients["coordinator"].post("/api/report-documents", json=body)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["fields"]
    assert answer.get_json()["error"] in (
        "Ongeldige invoer: controleer de gemarkeerde velden.",
        "Een kwartaal is 1 tot en met 4, een halfjaar 1 of 2.",
        "Deze periode is nog niet begonnen.",
    )


def test_bad_recommendations_and_unknown_documents_are_refused(clients):
    coordinator = clients["coordinator"]
    path = f"/api/report-documents/{open_draft(coordinator)['id']}"
    for recommendations, why in (("x" * 20_001, "te lang"), (7, "moet tekst zijn")):
        answer = coordinator.put(path, json={"recommendations": recommendations})
        assert answer.status_code == 422 and answer.get_json()["fields"] == {"recommendations": why}
    assert coordinator.put(path, json={"recommendations": "x" * 20_000}).status_code == 200
    assert coordinator.put(path, json={}).status_code == 422
    for answer in (
        coordinator.put("/api/report-documents/999999", json={"recommendations": "x"}),
        coordinator.post("/api/report-documents/999999/final", json={}),
        coordinator.get("/api/report-documents/999999.pdf"),
    ):
        assert answer.status_code == 404
        assert answer.get_json()["error"] == "Onbekende rapportage."
    for odd in ("abc", "-1", "1.5", "99999999999999999999"):  # not a document's id
        for answer in (
            coordinator.put(f"/api/report-documents/{odd}", json={"recommendations": "x"}),
            coordinator.get(f"/api/report-documents/{odd}.pdf"),
        ):
            assert answer.status_code == 404, odd
            assert answer.get_json()["error"] in ("Niet gevonden.", "Onbekende rapportage.")
    english = coordinator.put(
        "/api/report-documents/999999",
        json={"recommendations": "x"},
        headers={"Accept-Language": "en"},
    )
    assert english.get_json()["error"] == "Unknown report."


def test_a_report_as_it_stands_as_pdf_over_ones_own_scope(clients):
    manager = clients["lisa"]
    report = manager.get(f"/api/reports?period=quarter&year={YEAR}&number={QUARTER}").get_json()
    answer = manager.get(report["downloads"]["pdf"])
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert file_name(answer) == f"{FILE}-concept.pdf"
    text = pdf_text(answer.data)
    assert "Status: Concept" in text and "Bereik: Jouw teams" in text
    assert "Aanbevelingen Nog geen aanbevelingen." in text
    for line in figure_lines(report):
        assert line in text, line
    custom = manager.get(f"/api/reports.pdf?period=custom&from={YEAR}-01-01&to={TODAY}")
    assert custom.status_code == 200
    assert file_name(custom) == f"rapportage-{YEAR}-01-01-{TODAY}.pdf"
    half = manager.get(f"/api/reports.pdf?period=half_year&year={YEAR}&number={HALF}")
    assert file_name(half) == f"halfjaarrapportage-{YEAR}-H{HALF}-concept.pdf"
    for bad in (
        "period=quarter&year=1800&number=1",
        "period=quarter&year=2026&number=5",
        "team=abc",
        "colour=red",
    ):
        refused = manager.get(f"/api/reports.pdf?{bad}")
        assert refused.status_code == 422, bad
        assert refused.get_json()["error"]


def test_a_period_still_running_is_not_made_final(clients):
    coordinator = clients["coordinator"]
    running = {"kind": "quarterly", "year": TODAY.year, "number": (TODAY.month - 1) // 3 + 1}
    draft = coordinator.post("/api/report-documents", json=running).get_json()
    answer = coordinator.post(f"/api/report-documents/{draft['id']}/final", json={})
    assert answer.status_code == 409 and "loopt nog" in answer.get_json()["error"]
    assert coordinator.get(f"/api/report-documents/{draft['id']}.pdf").status_code == 200
