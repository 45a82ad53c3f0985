"""The audit trail over HTTP: one row for every answer that shows aggressor details, the
coordinator's search and export, cross-site requests refused before anything is written, and
the hash chain that shows a row changed behind the application's back."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from services.audit import chain
from services.audit.models import AuditEntry
from tests.api.test_followup_api import TODAY
from tests.api.test_incidents_api import capture
from tests.conftest import ON_POSTGRES, runtime_of, user_id


def audit_rows(app) -> list[AuditEntry]:
    with runtime_of(app).db.reader() as uow:
        rows = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        uow.session.expunge_all()
        return rows


def _final_letter(clients, incident_id: int) -> int:
    base = f"/api/incidents/{incident_id}"
    warning = clients["lisa"].post(
        base + "/measures", json={"kind": "waarschuwingsbrief", "decided_on": TODAY}
    )
    measure_id = warning.get_json()["followup"]["measures"][0]["id"]
    draft = clients["lisa"].post(
        base + "/letters", json={"kind": "waarschuwingsbrief", "measure_id": measure_id}
    )
    letter_id = draft.get_json()["letter_id"]
    [letter] = draft.get_json()["followup"]["letters"]
    filled = letter["text"].replace("[Omschrijf hier in eigen woorden het gedrag]", "U dreigde.")
    clients["lisa"].put(f"{base}/letters/{letter_id}", json={"text": filled})
    clients["lisa"].post(f"{base}/letters/{letter_id}/final", json={})
    return letter_id


def test_every_answer_with_aggressor_details_writes_exactly_one_row(clients, app):
    incident_id = capture(clients["sanne"])["id"]
    letter_id = _final_letter(clients, incident_id)
    base = f"/api/incidents/{incident_id}"
    lisa = user_id(app, "lisa")
    reads = [
        ("GET", base, None, ("read", "incident", "detail")),
        ("PATCH", base, {"version": 1, "location": "Markt 1"}, ("read", "incident", "detail")),
        ("GET", base + "/followup", None, ("read", "incident", "opvolging")),
        ("PUT", base + "/absence", {"days": 2}, ("read", "incident", "opvolging")),
        (
            "GET",
            f"{base}/letters/{letter_id}.pdf",
            None,
            ("export", "incident", "brief waarschuwingsbrief (pdf)"),
        ),
        ("GET", "/api/incidents/export.csv", None, ("export", "incident", "export")),
        ("GET", "/api/air", None, ("read", "air", "register bekeken")),
    ]
    for method, path, body, expected in reads:
        before = len(audit_rows(app))
        answer = clients["lisa"].open(path, method=method, json=body)
        assert answer.status_code == 200, (path, answer.get_json())
        new = audit_rows(app)[before:]
        assert [(r.actor_id, r.act, r.subject, r.purpose) for r in new] == [(lisa, *expected)]
        if expected[1] == "incident":
            assert new[0].subject_id == incident_id
            assert new[0].shown == {"fields": ["name", "address"]}
    # the worker who reported it sees her own report without the aggressor: nothing to log
    before = len(audit_rows(app))
    assert clients["sanne"].get(base).status_code == 200
    assert len(audit_rows(app)) == before


def test_the_coordinator_searches_pages_and_exports_the_trail(clients, app):
    first = capture(clients["sanne"])["id"]
    second = capture(clients["sanne"], client_id="6e2d9f8a-3b5c-4d4e-8f9a-1b2c3d4e5f60")["id"]
    for incident_id in (first, second, first):
        clients["lisa"].get(f"/api/incidents/{incident_id}")
    lisa = user_id(app, "lisa")
    assert clients["lisa"].get("/api/audit").status_code == 403
    assert clients["lisa"].get("/api/audit.csv").status_code == 403
    coordinator = clients["coordinator"]
    found = coordinator.get(f"/api/audit?person={lisa}&subject=incident&subject_id={first}")
    assert [(e["actor"]["name"], e["subject_id"]) for e in found.get_json()["entries"]] == [
        ("Lisa de Vries", first),
        ("Lisa de Vries", first),
    ]
    page = coordinator.get(f"/api/audit?person={lisa}&limit=2").get_json()
    assert len(page["entries"]) == 2 and page["before"] == page["entries"][-1]["id"]
    rest = coordinator.get(f"/api/audit?person={lisa}&limit=2&before={page['before']}")
    assert [e["subject_id"] for e in rest.get_json()["entries"]] == [first]
    today = datetime.now(UTC).date()
    tomorrow = (today + timedelta(days=2)).isoformat()
    assert coordinator.get(f"/api/audit?from={tomorrow}").get_json()["entries"] == []
    assert coordinator.get("/api/audit?subject=elsewhere").status_code == 422
    exported = coordinator.get(f"/api/audit.csv?person={lisa}")
    assert exported.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(exported.get_data(as_text=True)[1:]), delimiter=";"))
    assert table[0][:4] == ["Nr", "Tijdstip (UTC)", "Medewerker", "Handeling"]
    assert sorted(int(row[5]) for row in table[1:]) == [first, first, second]
    [export] = [r for r in audit_rows(app) if r.subject == "audit"]
    assert export.act == "export" and export.shown["rows"] == 3


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_cross_site_request_is_refused_before_anything_is_written(clients, app, site):
    capture(clients["sanne"])
    before = len(audit_rows(app))
    for path in ("/api/incidents/export.csv", "/api/air", "/api/me"):
        refused = clients["lisa"].get(path, headers={"Sec-Fetch-Site": site})
        assert refused.status_code == 403, path
        assert refused.get_json()["error"] == "Verzoek van een andere website geweigerd."
    refused = clients["lisa"].put(
        "/api/me/duty", json={"on_duty": False}, headers={"Sec-Fetch-Site": site}
    )
    assert refused.status_code == 403
    assert len(audit_rows(app)) == before
    for own in ("same-origin", "none"):  # the app itself; a typed address or bookmark
        answer = clients["lisa"].get("/api/incidents/export.csv", headers={"Sec-Fetch-Site": own})
        assert answer.status_code == 200


def _tamper(app, statement: str) -> None:
    """Change the trail behind the application's back, as someone with database access can
    (on PostgreSQL only after switching its trigger off, as the table's owner)."""
    with runtime_of(app).db.engine.begin() as conn:
        if ON_POSTGRES:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text(statement))
        if ON_POSTGRES:
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


def verify(app):
    return app.test_cli_runner().invoke(args=["verify-audit"])


def test_the_chain_verifies_and_shows_a_changed_or_removed_row(clients, app):
    incident_id = capture(clients["sanne"])["id"]
    for _ in range(4):
        clients["lisa"].get(f"/api/incidents/{incident_id}")
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "audit_log: 4 rows intact" in result.output
    rows = audit_rows(app)
    _tamper(app, f"UPDATE audit_log SET purpose = 'niets' WHERE id = {rows[-2].id}")
    changed = verify(app)
    assert changed.exit_code == 1
    assert f"BROKEN at row {rows[-2].id} (its content was changed)" in changed.output
    _tamper(app, f"DELETE FROM audit_log WHERE id = {rows[-2].id}")
    removed = verify(app)
    assert removed.exit_code == 1
    assert f"BROKEN at row {rows[-1].id} (the row before it is missing" in removed.output


@pytest.mark.skipif(not ON_POSTGRES, reason="the database's own refusal is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET purpose = 'niets'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "UPDATE admin_changes SET label = 'niets'",
        "DELETE FROM audit_anchors",
    ],
)
def test_postgresql_refuses_to_change_or_remove_an_audit_row(clients, app, statement):
    for _ in range(2):
        clients["lisa"].get("/api/air")
    rt = runtime_of(app)
    with rt.db.uow() as uow:  # an anchor: retention took the first row
        first = audit_rows(app)[0].at + timedelta(microseconds=1)
        chain.purge(uow.session, rt.clock.now(), AuditEntry, before=first, limit=1)
    added = clients["beheer"].post("/api/admin/departments", json={"name": "Toezicht"})
    assert added.status_code == 201, added.get_json()
    with pytest.raises(Exception, match="append-only"), rt.db.engine.begin() as conn:
        conn.execute(text(statement))
    assert len(audit_rows(app)) == 1
    assert verify(app).exit_code == 0


def test_retention_removes_the_oldest_rows_and_the_rest_still_verifies(clients, app):
    capture(clients["sanne"])
    for _ in range(3):
        clients["lisa"].get("/api/air")
    rows = audit_rows(app)
    cutoff = rows[1].at + timedelta(microseconds=1)
    rt = runtime_of(app)
    with rt.db.uow() as uow:
        assert chain.count_before(uow.session, AuditEntry, before=cutoff) == 2
        assert chain.purge(uow.session, rt.clock.now(), AuditEntry, before=cutoff, limit=10) == 2
    with rt.db.uow() as uow:  # the same again: nothing more is due
        assert chain.purge(uow.session, rt.clock.now(), AuditEntry, before=cutoff, limit=10) == 0
    assert [r.id for r in audit_rows(app)] == [r.id for r in rows[2:]]
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "audit_anchors: 1 rows intact" in result.output
    with rt.db.reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
