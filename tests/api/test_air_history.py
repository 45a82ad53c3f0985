"""The AIR's history and who may change it, over HTTP: every change a version with its author;
PATCH changes only what is sent; another team's manager is refused and nothing changes; the
coordinator and the manager responsible for a causing incident may; ending early and clearing
the flag need a reason; dates out of reach are refused; the follow-up's measures are versioned."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.audit.models import AuditEntry
from tests.api.test_admin import edited, person
from tests.api.test_followup_api import IN_A_YEAR, IN_TWO_YEARS, LOCAL_TODAY, TODAY
from tests.api.test_incidents_api import capture
from tests.conftest import runtime_of, user_id

ADDRESS = "Stationsweg 12, Demodorp"


def new_entry(client, **fields) -> dict:
    body = {"name": "R. Bakker", "address": ADDRESS, "known_aggressive": True}
    answer = client.post("/api/air", json=body | {"behaviour_type": "C"} | fields)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["entry"]


def new_ban(client, entry_id: int, **fields) -> dict:
    body = {"kind": "pandverbod", "starts_on": TODAY, "ends_on": IN_A_YEAR} | fields
    answer = client.post(f"/api/air/{entry_id}/measures", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["entry"]["measures"][-1]


def shown(client, entry_id: int) -> dict:
    [entry] = [e for e in client.get("/api/air").get_json()["entries"] if e["id"] == entry_id]
    return entry


def history(client, entry_id: int) -> list[dict]:
    answer = client.get(f"/api/air/{entry_id}/history")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["versions"]


def test_a_patch_changes_only_what_it_sends_and_is_a_version_with_its_author(clients, app):
    lisa = clients["lisa"]
    entry = new_entry(lisa, remarks="Schold aan de balie.")
    changed = lisa.patch(f"/api/air/{entry['id']}", json={"remarks": "Dreigde aan de balie."})
    assert changed.status_code == 200, changed.get_json()
    after = shown(lisa, entry["id"])
    assert after == entry | {"remarks": "Dreigde aan de balie."}
    versions = history(lisa, entry["id"])
    assert [(v["action"], v["actor"]["name"]) for v in versions] == [
        ("created", "Lisa de Vries"),
        ("changed", "Lisa de Vries"),
    ]
    assert versions[0]["changes"] == [
        {"field": "name", "before": None, "after": "R. Bakker"},
        {"field": "address", "before": None, "after": ADDRESS},
        {"field": "known_aggressive", "before": None, "after": True},
        {"field": "behaviour_type", "before": None, "after": "C"},
        {"field": "remarks", "before": None, "after": "Schold aan de balie."},
    ]
    assert versions[1]["changes"] == [
        {"field": "remarks", "before": "Schold aan de balie.", "after": "Dreigde aan de balie."}
    ]
    # Emptying whatever names the person or address is refused, naming the fields; nothing changes.
    nobody = lisa.patch(f"/api/air/{entry['id']}", json={"name": None, "address": " "})
    assert nobody.status_code == 422 and set(nobody.get_json()["fields"]) == {"name", "address"}
    assert shown(lisa, entry["id"]) == after and len(history(lisa, entry["id"])) == 2
    assert lisa.put(f"/api/air/{entry['id']}", json={"remarks": "x"}).status_code in (404, 405)
    assert shown(lisa, entry["id"]) == after  # no PUT that replaces the whole entry any more
    with runtime_of(app).db.reader() as uow:  # each look at the history is in the audit trail
        reads = uow.session.scalars(select(AuditEntry).where(AuditEntry.subject == "air_entry"))
        assert [(r.actor_id, r.act, r.subject_id) for r in reads] == 2 * [
            (user_id(app, "lisa"), "read", entry["id"])
        ]


def test_another_teams_manager_is_refused_and_nothing_changes(clients):
    lisa, peter = clients["lisa"], clients["peter"]
    entry = new_entry(lisa)
    ban = new_ban(lisa, entry["id"])
    before, versions = shown(lisa, entry["id"]), history(lisa, entry["id"])
    assert before["may_change"] is True and before["measures"][0]["may_change"] is True
    seen = shown(peter, entry["id"])  # consulting the register stays open to every manager
    assert seen["may_change"] is False and seen["measures"][0]["may_change"] is False
    measure = f"/api/air/measures/{ban['id']}"
    refused = [
        peter.patch(f"/api/air/{entry['id']}", json={"remarks": "Weg ermee"}),
        peter.post(
            f"/api/air/{entry['id']}/measures", json={"kind": "waarschuwing", "starts_on": TODAY}
        ),
        peter.post(measure + "/end", json={"reason": "Niet nodig"}),
        peter.post(measure + "/extend", json={"ends_on": IN_TWO_YEARS}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert refused[0].get_json()["error"].startswith("Deze registratie wijzigen alleen")
    assert refused[2].get_json()["error"].startswith("Deze maatregel wijzigen alleen")
    assert shown(lisa, entry["id"]) == before and history(lisa, entry["id"]) == versions
    assert clients["sanne"].get(f"/api/air/{entry['id']}/history").status_code == 403
    assert lisa.get("/api/air/999999/history").status_code == 404


def test_the_coordinator_and_the_manager_of_a_causing_incident_may_change(clients, app):
    lisa, peter, henk = clients["lisa"], clients["peter"], clients["henk"]
    entry = new_entry(lisa)
    assert clients["coordinator"].patch(
        f"/api/air/{entry['id']}", json={"behaviour_type": "D"}
    ).get_json()["entry"]["behaviour_type"] == ("D")
    # Kim (Peter's team) is threatened by the same person: Peter decides a ban in her incident.
    incident = capture(clients["kim"], aggressor={"name": "R. Bakker", "address": ADDRESS})
    decided = peter.post(
        f"/api/incidents/{incident['id']}/measures",
        json={"kind": "pandverbod", "decided_on": TODAY, "starts_on": TODAY, "ends_on": IN_A_YEAR},
    )
    assert decided.status_code == 201, decided.get_json()
    [ban] = shown(peter, entry["id"])["measures"]
    assert shown(peter, entry["id"])["may_change"] is True and ban["may_change"] is True
    assert shown(henk, entry["id"])["may_change"] is False
    added = history(lisa, entry["id"])[-1]
    assert (added["action"], added["actor"]["name"], added["measure"]["kind"]) == (
        "measure_added",
        "Peter Bakker",
        "pandverbod",
    )
    assert {c["field"]: c["after"] for c in added["changes"]} == {
        "kind": "pandverbod",
        "starts_on": TODAY,
        "ends_on": IN_A_YEAR,
        "reason": f"GIR-{incident['id']}: ",
    }
    extend = {"ends_on": IN_TWO_YEARS, "reason": "Opnieuw gezien"}
    path = f"/api/air/measures/{ban['id']}/extend"
    assert henk.post(path, json=extend).status_code == 403
    assert peter.post(path, json=extend).status_code == 200
    # Who is responsible follows the chain of managers: Kim's new manager, no longer Peter.
    admin = clients["beheer"]
    kim = person(admin, "kim")
    moved = admin.put(
        f"/api/admin/people/{kim['id']}", json=edited(kim, manager_id=user_id(app, "henk"))
    )
    assert moved.status_code == 200, moved.get_json()
    end = {"reason": "Excuses aangeboden"}
    assert peter.post(f"/api/air/measures/{ban['id']}/end", json=end).status_code == 403
    ended = henk.post(f"/api/air/measures/{ban['id']}/end", json=end)
    assert ended.status_code == 200 and ended.get_json()["measure"]["active"] is False
    assert [(v["action"], v["actor"]["name"], v["reason"]) for v in history(lisa, entry["id"])][
        -2:
    ] == [
        ("measure_extended", "Peter Bakker", "Opnieuw gezien"),
        ("measure_ended", "Henk de Groot", "Excuses aangeboden"),
    ]


def test_ending_early_and_clearing_the_flag_need_a_reason(clients):
    lisa = clients["lisa"]
    entry = new_entry(lisa)
    ban = new_ban(lisa, entry["id"], kind="contactverbod", ends_on=None)
    path = f"/api/air/measures/{ban['id']}/end"
    for body in ({}, {"reason": "  "}):
        refused = lisa.post(path, json=body)
        assert refused.status_code == 422 and list(refused.get_json()["fields"]) == ["reason"]
    cleared = lisa.patch(f"/api/air/{entry['id']}", json={"known_aggressive": False})
    assert cleared.status_code == 422 and list(cleared.get_json()["fields"]) == ["reason"]
    assert shown(lisa, entry["id"])["known_aggressive"] is True
    assert shown(lisa, entry["id"])["measures"][0] == ban | {"may_change": True}
    ended = lisa.post(path, json={"reason": "Met de wijkagent besproken"})
    assert ended.get_json()["ends_on"] == (LOCAL_TODAY - timedelta(days=1)).isoformat()
    reasoned = {"known_aggressive": False, "reason": "Twee jaar zonder voorval"}
    assert lisa.patch(f"/api/air/{entry['id']}", json=reasoned).status_code == 200
    *_, end, flag = history(lisa, entry["id"])
    assert (end["action"], end["reason"], end["changes"]) == (
        "measure_ended",
        "Met de wijkagent besproken",
        [{"field": "ends_on", "before": None, "after": ended.get_json()["ends_on"]}],
    )
    assert (flag["reason"], flag["changes"]) == (
        "Twee jaar zonder voorval",
        [{"field": "known_aggressive", "before": True, "after": False}],
    )


def _years(years: int) -> str:
    return (LOCAL_TODAY + timedelta(days=round(365.25 * years))).isoformat()


@pytest.mark.parametrize(
    "route,body,field",
    [
        ("measures", {"starts_on": "0001-01-01"}, "starts_on"),
        ("measures", {"starts_on": "9999-12-31", "ends_on": "9999-12-31"}, "starts_on"),  # a 500
        ("measures", {"starts_on": _years(-6)}, "starts_on"),
        ("measures", {"starts_on": _years(2)}, "starts_on"),
        ("end", {"on": _years(6), "reason": "Verhuisd"}, "on"),  # one without an end date
    ],
)
def test_dates_out_of_reach_are_refused_naming_the_field(clients, route, body, field):
    lisa = clients["lisa"]
    entry = new_entry(lisa)
    new_ban(lisa, entry["id"], kind="opgeschorte_dienstverlening", ends_on=None)
    before = shown(lisa, entry["id"])
    if route == "measures":
        path, body = f"/api/air/{entry['id']}/measures", {"kind": "waarschuwing"} | body
    else:
        path = f"/api/air/measures/{before['measures'][0]['id']}/end"
    refused = lisa.post(path, json=body)
    assert refused.status_code == 422 and field in refused.get_json()["fields"], refused.get_json()
    assert shown(lisa, entry["id"]) == before


def test_what_the_follow_up_puts_in_the_register_is_versioned_too(clients):
    lisa = clients["lisa"]
    aggressor = {"name": "T. de Jong", "address": "Populierenlaan 5, Demodorp"}
    first = capture(clients["sanne"], aggressor=aggressor)
    decided = lisa.post(
        f"/api/incidents/{first['id']}/measures",
        json={"kind": "pandverbod", "decided_on": TODAY, "starts_on": TODAY, "ends_on": IN_A_YEAR},
    )
    [decision] = decided.get_json()["followup"]["measures"]
    [entry] = [e for e in lisa.get("/api/air").get_json()["entries"] if e["name"] == "T. de Jong"]
    second = capture(
        clients["sanne"], client_id="7f3e0a9b-4c6d-4e5f-9a0b-2c3d4e5f6a71", aggressor=aggressor
    )
    extension = {"air_measure_id": entry["measures"][0]["id"], "decided_on": TODAY}
    extended = lisa.post(
        f"/api/incidents/{second['id']}/extensions",
        json=extension | {"ends_on": IN_TWO_YEARS, "note": "Weer gedreigd"},
    )
    assert extended.status_code == 201, extended.get_json()
    breach = {"on": TODAY, "extend_days": 10, "note": "Weer in het pand"}
    path = f"/api/incidents/{first['id']}/measures/{decision['id']}/breach"
    assert lisa.post(path, json=breach).status_code == 200
    versions = history(lisa, entry["id"])
    assert [(v["action"], v["actor"]["name"], v["reason"]) for v in versions] == [
        ("created", "Lisa de Vries", f"GIR-{first['id']}"),
        ("measure_added", "Lisa de Vries", ""),
        ("measure_extended", "Lisa de Vries", "Weer gedreigd"),
        ("measure_restarted", "Lisa de Vries", f"GIR-{first['id']}: Weer in het pand"),
    ]
    made = {c["field"]: c["after"] for c in versions[0]["changes"]}
    assert made == aggressor | {"known_aggressive": True, "behaviour_type": "D"}
    assert {c["field"] for c in versions[2]["changes"]} == {"ends_on", "reason"}
    assert shown(clients["peter"], entry["id"])["may_change"] is False
