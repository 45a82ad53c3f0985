"""Follow-up over HTTP: every route per role, bad input refused, a second ban refused and the
running one extended, the Inspectie SZW's two reports, a letter refused while unfinished, then
its PDF."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from services.clock import local_date
from tests.api.test_incidents_api import capture

# The live app runs on the real clock, as the demo was seeded, and dates are the municipality's
# (Europe/Amsterdam): between 23:00 and 00:00 UTC its today is the machine's tomorrow.
LOCAL_TODAY = local_date(datetime.now(UTC))
TODAY = LOCAL_TODAY.isoformat()
IN_A_YEAR = (LOCAL_TODAY + timedelta(days=365)).isoformat()
IN_TWO_YEARS = (LOCAL_TODAY + timedelta(days=730)).isoformat()


def routes(incident_id: int) -> list[tuple[str, str, dict | None]]:
    base = f"/api/incidents/{incident_id}"
    return [
        ("GET", base + "/followup", None),
        ("POST", base + "/measures", {"kind": "ordegesprek", "decided_on": TODAY}),
        ("POST", base + "/police", {"kind": "melding", "on": TODAY}),
        ("PUT", base + "/absence", {"days": 2}),
        ("PUT", base + "/aftercare/first_talk", {"done_on": TODAY}),
        ("PUT", base + "/inspectorate", {"reported_at": "2030-01-01T10:00:00+01:00"}),
        ("PUT", base + "/inspectorate/written", {"reported_at": "2030-01-01T10:00:00+01:00"}),
        ("POST", base + "/letters", {"kind": "politiepakket"}),
        (
            "POST",
            base + "/extensions",
            {"air_measure_id": 1, "decided_on": TODAY, "ends_on": "2030-01-01"},
        ),
    ]


def test_every_followup_route_per_role(clients):
    incident = capture(clients["sanne"])
    for who, expected in (("sanne", 403), ("mohammed", 403), ("beheer", 403), ("peter", 404)):
        for method, path, body in routes(incident["id"]):
            got = clients[who].open(path, method=method, json=body).status_code
            assert got == expected, (who, method, path, got)
    for who in ("lisa", "gemeentesecretaris", "coordinator"):
        for method, path, body in (
            routes(incident["id"])[:5] + routes(incident["id"])[7:8]
        ):  # not serious: no SZW
            got = clients[who].open(path, method=method, json=body)
            assert got.status_code in (200, 201), (who, path, got.get_json())
    todo = clients["lisa"].get("/api/followup/todo").get_json()
    assert todo["count"] == sum(len(e["items"]) for e in todo["todo"]) and todo["first"] == 3
    # the victim still reads her report; the follow-up history is for those who act on it
    mine = clients["sanne"].get(f"/api/incidents/{incident['id']}")
    assert mine.status_code == 200
    assert [h["action"] for h in mine.get_json()["incident"]["history"]] == ["gemeld"]
    assert "maatregel" in [
        h["action"]
        for h in clients["lisa"]
        .get(f"/api/incidents/{incident['id']}")
        .get_json()["incident"]["history"]
    ]
    assert clients["sanne"].get("/api/followup/todo").status_code == 403


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("measures", {"kind": "huisarrest", "decided_on": TODAY}, "kind"),
        ("measures", {"kind": "pandverbod", "decided_on": TODAY, "starts_on": TODAY}, "ends_on"),
        (
            "measures",
            {
                "kind": "pandverbod",
                "decided_on": TODAY,
                "starts_on": TODAY,
                "ends_on": "2020-01-01",
            },
            "ends_on",
        ),
        ("police", {"kind": "afgezien", "on": TODAY}, "reason"),
        ("police", {"kind": "melding", "on": "2999-01-01"}, "on"),
        ("letters", {"kind": "dreigbrief"}, "kind"),
        ("measures", {"kind": "geen_maatregel", "decided_on": TODAY}, "note"),
        ("measures", {"kind": "opgeschorte_dienstverlening", "decided_on": TODAY}, "starts_on"),
        ("extensions", {"air_measure_id": 1, "decided_on": TODAY}, "ends_on"),
        (
            "extensions",
            {"air_measure_id": "1", "decided_on": TODAY, "ends_on": TODAY},
            "air_measure_id",
        ),
    ],
)
def test_bad_followup_input_is_422_with_the_field(clients, path, body, field):
    incident = capture(clients["sanne"])
    response = clients["lisa"].post(f"/api/incidents/{incident['id']}/{path}", json=body)
    assert response.status_code == 422 and field in response.get_json()["fields"], (
        response.get_json()
    )
    followup = (
        clients["lisa"].get(f"/api/incidents/{incident['id']}/followup").get_json()["followup"]
    )
    assert followup["measures"] == []
    # nothing half-saved elsewhere either (refused police steps and letters included)
    assert followup["police"]["records"] == []
    assert followup["letters"] == []


def test_inspectorate_only_for_serious_and_unknown_steps_are_404(clients):
    incident = capture(clients["sanne"])
    base = f"/api/incidents/{incident['id']}"
    for path in ("/inspectorate", "/inspectorate/written"):
        answer = clients["lisa"].put(base + path, json={"reported_at": "2026-11-25T10:00:00+01:00"})
        assert answer.status_code == 409
    assert (
        clients["lisa"].put(base + "/aftercare/dansen", json={"done_on": TODAY}).status_code == 404
    )


def test_a_second_ban_is_409_and_the_running_one_is_extended(clients):
    incident = capture(clients["sanne"])  # the aggressor lives at Molenweg 3: a running ban
    base = f"/api/incidents/{incident['id']}"
    second = clients["lisa"].post(
        base + "/measures",
        json={"kind": "pandverbod", "decided_on": TODAY, "starts_on": TODAY, "ends_on": IN_A_YEAR},
    )
    assert second.status_code == 409
    assert second.get_json()["error"].startswith("Er loopt al een pandverbod voor deze persoon")
    [running] = clients["lisa"].get(base + "/followup").get_json()["followup"]["running"]
    extend = {"air_measure_id": running["id"], "decided_on": TODAY, "note": "Weer gedreigd"}
    too_soon = clients["lisa"].post(base + "/extensions", json=extend | {"ends_on": TODAY})
    assert too_soon.status_code == 422 and "ends_on" in too_soon.get_json()["fields"]
    unknown = clients["lisa"].post(
        base + "/extensions",
        json=extend | {"air_measure_id": running["id"] + 100, "ends_on": IN_TWO_YEARS},
    )
    assert unknown.status_code == 404
    done = clients["lisa"].post(base + "/extensions", json=extend | {"ends_on": IN_TWO_YEARS})
    assert done.status_code == 201
    [measure] = done.get_json()["followup"]["measures"]
    assert (measure["ends_on"], measure["extended_from"]) == (IN_TWO_YEARS, running["ends_on"])
    air = clients["lisa"].get("/api/air").get_json()["entries"]
    assert [m["ends_on"] for e in air for m in e["measures"] if m["id"] == running["id"]] == [
        IN_TWO_YEARS
    ]


def test_the_inspectorate_is_phoned_then_written(clients):
    incident = capture(clients["sanne"])
    base = f"/api/incidents/{incident['id']}"
    clients["lisa"].patch(base, json={"version": 1, "serious_criteria": ["ernstig_letsel"]})
    now = datetime.now(UTC).isoformat()
    early = clients["lisa"].put(base + "/inspectorate/written", json={"reported_at": now})
    assert early.status_code == 409 and "Meld eerst telefonisch" in early.get_json()["error"]
    naive = clients["lisa"].put(base + "/inspectorate", json={"reported_at": "2026-11-25T10:00"})
    assert naive.status_code == 422 and "reported_at" in naive.get_json()["fields"]
    assert (
        clients["lisa"]
        .put(base + "/inspectorate", json={"reported_at": now, "reference": "SZW-1"})
        .status_code
        == 200
    )
    written = clients["lisa"].put(base + "/inspectorate/written", json={"reported_at": now})
    szw = written.get_json()["followup"]["inspectorate"]
    assert (szw["state"], szw["written"]["state"]) == ("reported", "reported")


def test_an_unfinished_letter_is_refused_then_a_warning_letter_as_pdf(clients):
    incident = capture(clients["sanne"])
    base = f"/api/incidents/{incident['id']}"
    warning = clients["lisa"].post(
        base + "/measures", json={"kind": "waarschuwingsbrief", "decided_on": TODAY}
    )
    measure_id = warning.get_json()["followup"]["measures"][0]["id"]
    draft = clients["lisa"].post(
        base + "/letters", json={"kind": "waarschuwingsbrief", "measure_id": measure_id}
    )
    letter_id = draft.get_json()["letter_id"]
    assert draft.get_json()["followup"]["letter_defaults"] == {
        "kind": "waarschuwingsbrief",
        "measure_id": measure_id,
    }
    assert clients["lisa"].get(f"{base}/letters/{letter_id}.pdf").status_code == 409
    refused = clients["lisa"].post(f"{base}/letters/{letter_id}/final", json={})
    assert refused.status_code == 422 and list(refused.get_json()["fields"]) == ["text"]
    assert "Omschrijf hier in eigen woorden" in refused.get_json()["error"]
    [letter] = clients["lisa"].get(base + "/followup").get_json()["followup"]["letters"]
    assert letter["final"] is False
    text = letter["text"].replace(
        "[Omschrijf hier in eigen woorden het gedrag]", "U dreigde onze medewerker op te wachten."
    )
    assert (
        clients["lisa"].put(f"{base}/letters/{letter_id}", json={"text": text}).status_code == 200
    )
    final = clients["lisa"].post(f"{base}/letters/{letter_id}/final", json={})
    assert final.get_json()["followup"]["letters"][0]["final"] is True
    pdf = clients["lisa"].get(f"{base}/letters/{letter_id}.pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "J. Jansen" in text and "Gemeente Demodorp" in text
    assert "Dreigde me buiten op te wachten" not in text  # the worker's words stay in the GIR
    assert clients["sanne"].get(f"{base}/letters/{letter_id}.pdf").status_code == 403


def _air_measure(clients, address: str) -> dict:
    entries = clients["lisa"].get("/api/air").get_json()["entries"]
    [entry] = [e for e in entries if e["address"] == address]
    return entry["measures"][0] | {"entry_id": entry["id"]}


def test_the_register_ends_a_ban_from_a_day_and_extends_one(clients):
    """The demo's entries were recorded by Lisa's team: another team's manager may not
    change them."""
    ban = _air_measure(clients, "Molenweg 3, Demodorp")
    path = f"/api/air/measures/{ban['id']}"
    roles = [
        (who, clients[who].post(path + "/extend", json={"ends_on": IN_TWO_YEARS}).status_code)
        for who in ("sanne", "beheer", "peter")
    ]
    assert roles == [("sanne", 403), ("beheer", 403), ("peter", 403)]
    coordinator = clients["coordinator"]
    assert coordinator.post(path + "/extend", json={"ends_on": "2020-01-01"}).status_code == 422
    extended = coordinator.post(
        path + "/extend", json={"ends_on": IN_TWO_YEARS, "reason": "Weer gezien"}
    )
    assert extended.get_json()["measure"]["ends_on"] == IN_TWO_YEARS
    second = coordinator.post(
        f"/api/air/{ban['entry_id']}/measures",
        json={"kind": "pandverbod", "starts_on": TODAY, "ends_on": IN_A_YEAR},
    )
    assert second.status_code == 409
    early = {"on": IN_A_YEAR, "reason": "Verhuisd"}
    assert coordinator.post(path + "/end", json=early | {"on": "2020-01-01"}).status_code == 422
    later = coordinator.post(path + "/end", json=early).get_json()
    assert later["ends_on"] == (date.fromisoformat(IN_A_YEAR) - timedelta(days=1)).isoformat()
    assert later["measure"]["active"] is True


def test_a_contact_ban_ended_today_no_longer_stops_todays_visit(clients):
    from tests.api.test_visits_api import visit_body

    ban = _air_measure(clients, "Lindelaan 21, Demodorp")
    ended = (
        clients["lisa"]  # her team recorded it
        .post(f"/api/air/measures/{ban['id']}/end", json={"reason": "Excuses aangeboden"})
        .get_json()
    )
    assert ended["ends_on"] == (LOCAL_TODAY - timedelta(days=1)).isoformat()
    assert ended["measure"]["active"] is False
    worker = clients["sanne"]
    visit = worker.post("/api/visits", json=visit_body(worker)).get_json()["visit"]
    assert visit["air"]["no_contact"] is False and visit["risk_level"] != "niet_gaan"
