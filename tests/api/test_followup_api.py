"""Follow-up over HTTP: every route per role, bad input refused, the letter's PDF."""
import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.api.test_incidents_api import capture

TODAY = date.today().isoformat()


def routes(incident_id: int) -> list[tuple[str, str, dict | None]]:
    base = f"/api/incidents/{incident_id}"
    return [("GET", base + "/followup", None),
            ("POST", base + "/measures", {"kind": "ordegesprek", "decided_on": TODAY}),
            ("POST", base + "/police", {"kind": "melding", "on": TODAY}),
            ("PUT", base + "/absence", {"days": 2}),
            ("PUT", base + "/aftercare/first_talk", {"done_on": TODAY}),
            ("PUT", base + "/inspectorate", {"reported_at": "2030-01-01T10:00:00+01:00",
                                             "how": "telefonisch"}),
            ("POST", base + "/letters", {"kind": "politiepakket"})]


def test_every_followup_route_per_role(clients):
    incident = capture(clients["sanne"])
    for who, expected in (("sanne", 403), ("mohammed", 403), ("beheer", 403), ("peter", 404)):
        for method, path, body in routes(incident["id"]):
            got = clients[who].open(path, method=method, json=body).status_code
            assert got == expected, (who, method, path, got)
    for who in ("lisa", "gemeentesecretaris", "coordinator"):
        for method, path, body in routes(incident["id"])[:5] + routes(incident["id"])[6:]:  # not serious: no SZW
            got = clients[who].open(path, method=method, json=body)
            assert got.status_code in (200, 201), (who, path, got.get_json())
    assert clients["lisa"].get("/api/followup/todo").status_code == 200
    # the victim still reads her report; the follow-up history is for those who act on it
    mine = clients["sanne"].get(f"/api/incidents/{incident['id']}")
    assert mine.status_code == 200
    assert [h["action"] for h in mine.get_json()["incident"]["history"]] == ["gemeld"]
    assert "maatregel" in [h["action"] for h in clients["lisa"].get(
        f"/api/incidents/{incident['id']}").get_json()["incident"]["history"]]
    assert clients["sanne"].get("/api/followup/todo").status_code == 403


@pytest.mark.parametrize("path,body,field", [
    ("measures", {"kind": "huisarrest", "decided_on": TODAY}, "kind"),
    ("measures", {"kind": "pandverbod", "decided_on": TODAY, "starts_on": TODAY}, "ends_on"),
    ("measures", {"kind": "pandverbod", "decided_on": TODAY, "starts_on": TODAY,
                  "ends_on": "2020-01-01"}, "ends_on"),
    ("police", {"kind": "afgezien", "on": TODAY}, "reason"),
    ("police", {"kind": "melding", "on": "2999-01-01"}, "on"),
    ("letters", {"kind": "dreigbrief"}, "kind"),
])
def test_bad_followup_input_is_422_with_the_field(clients, path, body, field):
    incident = capture(clients["sanne"])
    response = clients["lisa"].post(f"/api/incidents/{incident['id']}/{path}", json=body)
    assert response.status_code == 422 and field in response.get_json()["fields"], \
        response.get_json()
    followup = clients["lisa"].get(f"/api/incidents/{incident['id']}/followup").get_json()[
        "followup"]
    assert followup["measures"] == []
    # nothing half-saved elsewhere either (refused police steps and letters included)
    assert followup["police"]["records"] == []
    assert followup["letters"] == []


def test_inspectorate_only_for_serious_and_unknown_steps_are_404(clients):
    incident = capture(clients["sanne"])
    base = f"/api/incidents/{incident['id']}"
    answer = clients["lisa"].put(base + "/inspectorate", json={
        "reported_at": "2026-11-25T10:00:00+01:00", "how": "telefonisch"})
    assert answer.status_code == 409
    assert clients["lisa"].put(base + "/aftercare/dansen", json={"done_on": TODAY}
                               ).status_code == 404


def test_a_warning_letter_as_pdf_after_a_ban(clients):
    incident = capture(clients["sanne"])
    base = f"/api/incidents/{incident['id']}"
    ban = clients["lisa"].post(base + "/measures", json={
        "kind": "pandverbod", "decided_on": TODAY, "starts_on": TODAY,
        "ends_on": f"{date.today().year + 1}-01-01"})
    measure_id = ban.get_json()["followup"]["measures"][0]["id"]
    draft = clients["lisa"].post(base + "/letters", json={
        "kind": "waarschuwingsbrief", "measure_id": measure_id})
    letter_id = draft.get_json()["letter_id"]
    assert clients["lisa"].get(f"{base}/letters/{letter_id}.pdf").status_code == 409
    final = clients["lisa"].post(f"{base}/letters/{letter_id}/final", json={})
    assert final.get_json()["followup"]["letters"][0]["final"] is True
    pdf = clients["lisa"].get(f"{base}/letters/{letter_id}.pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "J. Jansen" in text and "Gemeente Demodorp" in text
    assert clients["sanne"].get(f"{base}/letters/{letter_id}.pdf").status_code == 403
