"""The learning loop as its users meet it: an employee fills in their function group's
leerdoelwijzer (received exactly once), reads their profile back and shares a learning goal;
the team picture appears only from five respondents and only to the team's own managers and the
coordinator; a new version of a questionnaire never rewrites answers given to the old one."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.accounts.models import FunctionGroup, Role, Team, User
from services.accounts.service import hash_password
from services.demo import DEMO_PASSWORD
from tests.conftest import login, runtime_of, user_id

OPTIONS = ("altijd", "vaak", "soms", "nooit")


def questionnaire(client):
    answer = client.get("/api/learning/instruments")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["questionnaire"]


def all_answered(instrument, pick=lambda n: "vaak"):
    statements = [s["id"] for g in instrument["groups"] for s in g["statements"]]
    return {sid: pick(n) for n, sid in enumerate(statements)}


def send(client, instrument, answers, client_id=None):
    return client.post(
        "/api/learning/responses",
        json={
            "client_id": client_id or uuid.uuid4().hex,
            "instrument_id": instrument["id"],
            "answers": answers,
        },
    )


def colleagues(app, n, *, manager="lisa"):
    """`n` new Sociaal Domein colleagues in `manager`'s team, each a logged-in client."""
    with runtime_of(app).db.uow() as uow:
        boss = uow.session.scalar(select(User).where(User.username == manager))
        made = [f"collega{uuid.uuid4().hex[:6]}" for _ in range(n)]
        for name in made:
            uow.session.add(
                User(
                    username=name,
                    name=name.title(),
                    password_hash=hash_password(DEMO_PASSWORD),
                    role=Role.MEDEWERKER,
                    team_id=boss.team_id or _led_team(uow.session, boss),
                    function_group=FunctionGroup.SOCIAAL_DOMEIN,
                    manager_id=boss.id,
                )
            )
    clients = []
    for name in made:
        client = app.test_client()
        login(client, name)
        clients.append(client)
    return clients


def _led_team(session, manager):
    return session.scalar(select(Team.id).where(Team.name == "Sociaal Domein"))


def test_an_employee_gets_the_questionnaire_of_her_function_group_and_the_matrix(clients):
    mine = clients["sanne"].get("/api/learning/instruments").get_json()
    assert mine["questionnaire"]["title"] == "Leerdoelwijzer voor medewerkers Sociaal domein"
    assert [g["key"] for g in mine["questionnaire"]["groups"]] == [
        "risico_inschatting",
        "eigen_spanning",
        "vroegsignalering",
        "grenzen",
        "collegiale_ondersteuning",
    ]
    assert [o["label"] for o in mine["questionnaire"]["options"]] == [
        "Altijd",
        "Vaak",
        "Soms",
        "Nooit",
    ]
    assert len(mine["matrix"]["groups"][0]["statements"]) == 17
    assert mine["matrix"]["options"][0]["label"] == "Bewust van"
    boa = clients["kim"].get("/api/learning/instruments").get_json()["questionnaire"]
    assert boa["title"] == "Leerdoelwijzer voor Buitengewoon Opsporings Ambtenaren"


def test_a_round_is_received_once_and_read_back_as_a_profile(clients):
    sanne = clients["sanne"]
    instrument = questionnaire(sanne)
    answers = all_answered(instrument, lambda n: "altijd" if n % 2 else "nooit")
    client_id = uuid.uuid4().hex
    first = send(sanne, instrument, answers, client_id)
    again = send(sanne, instrument, answers, client_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["response"]["id"] == again.get_json()["response"]["id"]
    rounds = sanne.get("/api/learning/me").get_json()["rounds"]
    assert len(rounds) == 1
    grenzen = next(a for a in rounds[0]["profile"] if a["key"] == "grenzen")
    group = next(g for g in instrument["groups"] if g["key"] == "grenzen")
    chosen = [answers[s["id"]] for s in group["statements"]]
    assert grenzen["counts"]["altijd"] == chosen.count("altijd")
    assert grenzen["score"] == round(100 * chosen.count("altijd") / len(chosen))


def test_an_incomplete_or_strange_round_is_refused_in_words_and_nothing_is_stored(clients):
    sanne = clients["sanne"]
    instrument = questionnaire(sanne)
    answers = all_answered(instrument)
    missing = dict(list(answers.items())[:-3])
    refused = send(sanne, instrument, missing)
    assert refused.status_code == 422
    assert "3" in refused.get_json()["error"] and "answers" in refused.get_json()["fields"]
    assert send(sanne, instrument, {**answers, "verzonnen-1": "vaak"}).status_code == 422
    wrong_option = {**answers, next(iter(answers)): "misschien"}
    assert send(sanne, instrument, wrong_option).status_code == 422
    boa = questionnaire(clients["kim"])
    assert send(sanne, boa, all_answered(boa)).status_code == 404
    assert sanne.get("/api/learning/me").get_json()["rounds"] == []


def test_a_team_of_four_shows_nothing_and_a_fifth_answer_shows_the_heat_map(app, clients):
    team_id = clients["lisa"].get("/api/learning/teams").get_json()["teams"][0]["id"]
    people = colleagues(app, 5)
    instrument = questionnaire(people[0])
    for n, person in enumerate(people[:4]):
        assert (
            send(
                person, instrument, all_answered(instrument, lambda _, option=OPTIONS[n]: option)
            ).status_code
            == 201
        )

    def sociaal_domein(viewer):
        answer = clients[viewer].get(f"/api/learning/teams/{team_id}/picture")
        assert answer.status_code == 200, answer.get_json()
        pictures = answer.get_json()["questionnaires"]
        return next(p for p in pictures if p["function_group"] == "sociaal_domein")

    hidden = sociaal_domein("lisa")
    assert (hidden["respondents"], hidden["shown"]) == (4, False)
    assert hidden["groups"] == [] and hidden["weakest"] == []
    assert (
        send(people[4], instrument, all_answered(instrument, lambda _: "altijd")).status_code == 201
    )
    shown = sociaal_domein("lisa")
    assert (shown["respondents"], shown["shown"]) == (5, True)
    first = shown["groups"][0]["statements"][0]
    assert first["counts"] == {"altijd": 2, "vaak": 1, "soms": 1, "nooit": 1}
    assert sociaal_domein("coordinator")["groups"] == shown["groups"]
    assert clients["peter"].get(f"/api/learning/teams/{team_id}/picture").status_code == 404
    assert clients["sanne"].get(f"/api/learning/teams/{team_id}/picture").status_code == 403


def test_the_weakest_areas_are_those_answered_lowest(app, clients):
    team_id = clients["lisa"].get("/api/learning/teams").get_json()["teams"][0]["id"]
    people = colleagues(app, 5)
    instrument = questionnaire(people[0])
    weak = {s["id"] for g in instrument["groups"] if g["key"] == "grenzen" for s in g["statements"]}
    for person in people:
        answers = {sid: "nooit" if sid in weak else "vaak" for sid in all_answered(instrument)}
        assert send(person, instrument, answers).status_code == 201
    picture = clients["lisa"].get(f"/api/learning/teams/{team_id}/picture").get_json()
    sd = next(p for p in picture["questionnaires"] if p["function_group"] == "sociaal_domein")
    assert sd["weakest"][0] == {"key": "grenzen", "title": "Stellen van grenzen", "score": 0}


def test_a_shared_goal_reaches_her_own_manager_only(clients):
    sanne = clients["sanne"]
    private = sanne.post("/api/learning/goals", json={"text": "Eerder grenzen stellen"})
    assert private.status_code == 201 and private.get_json()["shared_at"] is None
    shared = sanne.post(f"/api/learning/goals/{private.get_json()['id']}/share", json={})
    assert shared.get_json()["shared_with"]["name"] == "Lisa de Vries"
    team_id = clients["lisa"].get("/api/learning/teams").get_json()["teams"][0]["id"]
    goals = clients["lisa"].get(f"/api/learning/teams/{team_id}/picture").get_json()["goals"]
    assert [(g["text"], g["author"]["name"]) for g in goals] == [
        ("Eerder grenzen stellen", "Sanne Jansen")
    ]
    coordinator = clients["coordinator"].get(f"/api/learning/teams/{team_id}/picture")
    assert coordinator.get_json()["goals"] == []
    assert (
        clients["mohammed"]
        .post(f"/api/learning/goals/{private.get_json()['id']}/share", json={})
        .status_code
        == 404
    )
    assert sanne.post("/api/learning/goals", json={"text": ""}).status_code == 422


def test_a_new_version_leaves_earlier_answers_with_the_old_one(clients):
    sanne = clients["sanne"]
    old = questionnaire(sanne)
    assert send(sanne, old, all_answered(old)).status_code == 201
    groups = [
        {**g, "statements": [{"id": s["id"], "text": s["text"]} for s in g["statements"]]}
        for g in old["groups"]
    ]
    groups[0]["statements"].append({"text": "Ik bespreek een risico vooraf met mijn collega"})
    published = clients["coordinator"].post(
        f"/api/learning/instruments/{old['key']}/versions",
        json={"title": old["title"], "groups": groups},
    )
    assert published.status_code == 201, published.get_json()
    new = published.get_json()
    assert new["version"] == old["version"] + 1
    assert new["groups"][0]["statements"][-1]["id"] == "risico_inschatting-9"
    assert questionnaire(sanne)["id"] == new["id"]
    assert send(sanne, old, all_answered(old)).status_code == 409
    rounds = sanne.get("/api/learning/me").get_json()["rounds"]
    assert [r["instrument"]["version"] for r in rounds] == [old["version"]]
    assert (
        clients["lisa"]
        .post(
            f"/api/learning/instruments/{old['key']}/versions",
            json={"title": old["title"], "groups": groups},
        )
        .status_code
        == 403
    )


@pytest.mark.parametrize("who", ["sanne", "lisa", "beheer"])
def test_only_the_coordinator_sees_the_organisation_picture(clients, who):
    assert clients[who].get("/api/learning/organisation").status_code == 403


def test_the_organisation_picture_has_every_function_group_beside_its_incidents(clients):
    seen = clients["coordinator"].get("/api/learning/organisation").get_json()
    assert len(seen["function_groups"]) == 8
    assert {g["picture"]["shown"] for g in seen["function_groups"]} == {False}
    assert all(g["incidents"]["period"]["label"] for g in seen["function_groups"])


def team_of(clients, manager="lisa"):
    return clients[manager].get("/api/learning/teams").get_json()["teams"][0]["id"]


def add_item(client, team_id, **fields):
    body = {"kind": "training", "title": "Training grenzen stellen", "due_on": "2027-03-01"}
    return client.post(f"/api/learning/teams/{team_id}/plan", json={**body, **fields})


def test_a_weak_area_becomes_a_team_action_that_is_evaluated_and_carried_over(clients):
    team_id = team_of(clients)
    made = add_item(
        clients["lisa"],
        team_id,
        expected_result="Iedereen benoemt de teamnorm in het gesprek",
        area={"questionnaire": "sociaal_domein", "key": "grenzen"},
    )
    assert made.status_code == 201, made.get_json()
    item = made.get_json()
    assert item["source"]["area"]["title"] == "Stellen van grenzen"
    assert (item["state"], item["may_edit"]) == ("gepland", True)
    read = clients["sanne"].get(f"/api/learning/teams/{team_id}/plan").get_json()
    assert [(i["title"], i["may_edit"]) for i in read["items"]] == [
        ("Training grenzen stellen", False)
    ]
    assert (
        clients["sanne"]
        .put(f"/api/learning/plan/{item['id']}", json={"version": 1, "state": "bezig"})
        .status_code
        == 403
    )
    evaluated = clients["lisa"].post(
        f"/api/learning/plan/{item['id']}/evaluation",
        json={
            "version": 1,
            "outcome": "deels",
            "text": "Twee van de drie",
            "next_due_on": "2027-06-01",
        },
    )
    assert evaluated.status_code == 200, evaluated.get_json()
    assert evaluated.get_json()["evaluation"]["outcome_label"] == "Deels gelukt"
    items = clients["lisa"].get(f"/api/learning/teams/{team_id}/plan").get_json()["items"]
    carried = next(i for i in items if i["carried_from"] == item["id"])
    assert (carried["state"], carried["due_on"]) == ("gepland", "2027-06-01")
    again = clients["lisa"].put(
        f"/api/learning/plan/{item['id']}", json={"version": 2, "state": "bezig"}
    )
    assert again.status_code == 409


def test_another_teams_manager_neither_reads_nor_plans(clients):
    team_id = team_of(clients)
    assert clients["peter"].get(f"/api/learning/teams/{team_id}/plan").status_code == 404
    assert add_item(clients["peter"], team_id).status_code == 404
    assert add_item(clients["sanne"], team_id).status_code == 403


def test_what_the_team_cannot_solve_goes_to_someone_outside_who_sees_it_in_te_doen(app, clients):
    team_id = team_of(clients)
    henk = user_id(app, "henk")
    item = add_item(
        clients["lisa"], team_id, kind="overig", title="Alarmknop spreekkamer 2", assignee_id=henk
    ).get_json()
    todo = clients["henk"].get("/api/followup/todo").get_json()["plan_items"]
    assert [(i["title"], i["team"]["name"]) for i in todo] == [
        ("Alarmknop spreekkamer 2", "Sociaal Domein")
    ]
    moved = clients["henk"].put(
        f"/api/learning/plan/{item['id']}", json={"version": 1, "state": "bezig"}
    )
    assert moved.status_code == 200 and moved.get_json()["state"] == "bezig"
    retitled = clients["henk"].put(
        f"/api/learning/plan/{item['id']}", json={"version": 2, "title": "x"}
    )
    assert retitled.status_code == 403
    assert (
        clients["henk"]
        .post(
            f"/api/learning/plan/{item['id']}/evaluation",
            json={"version": 2, "outcome": "gelukt", "text": "Hangt er"},
        )
        .status_code
        == 403
    )
    sanne = user_id(app, "sanne")
    refused = add_item(clients["lisa"], team_id, assignee_id=sanne)
    assert refused.status_code == 422 and "assignee_id" in refused.get_json()["fields"]


def test_a_cause_from_an_incident_analysis_becomes_a_team_action_linked_both_ways(clients):
    at = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    reported = clients["sanne"].post(
        "/api/incidents",
        json={
            "client_id": uuid.uuid4().hex,
            "behaviour_type": "D",
            "kinds": ["verbaal"],
            "channel": "telefoon",
            "occurred_at": at,
            "description": "Dreigde buiten te wachten.",
        },
    )
    assert reported.status_code == 201, reported.get_json()
    incident_id = reported.get_json()["incident"]["id"]
    version = clients["lisa"].get(f"/api/incidents/{incident_id}").get_json()["incident"]["version"]
    cause = {
        "kind": "indirect",
        "category": "technisch",
        "decision": "actie",
        "description": "Alarmknop werkte niet",
        "action": "Alarmknop laten repareren",
    }
    saved = clients["lisa"].put(
        f"/api/incidents/{incident_id}/analysis",
        json={
            "version": version,
            "answers": {"beschrijving": "Een dreiging bij de balie"},
            "causes": [cause],
        },
    )
    assert saved.status_code == 200, saved.get_json()
    analysis = saved.get_json()["followup"]["analysis"]
    cause_id = analysis["causes"][0]["id"]
    assert analysis["plan_team"]["name"] == "Sociaal Domein"
    item = add_item(
        clients["lisa"],
        analysis["plan_team"]["id"],
        kind="overig",
        title="Alarmknop laten repareren",
        incident={"id": incident_id, "cause_id": cause_id},
    ).get_json()
    assert item["source"]["incident"]["cause"] == "Alarmknop werkte niet"
    followup = clients["lisa"].get(f"/api/incidents/{incident_id}/followup").get_json()["followup"]
    linked = followup["analysis"]["causes"][0]
    assert (linked["id"], [p["title"] for p in linked["plan_items"]]) == (
        cause_id,
        ["Alarmknop laten repareren"],
    )
    again = clients["lisa"].get(f"/api/incidents/{incident_id}/followup").get_json()["followup"]
    assert again["analysis"]["causes"][0]["id"] == cause_id  # kept, and nothing stored twice
    wrong = add_item(
        clients["lisa"],
        analysis["plan_team"]["id"],
        incident={"id": incident_id, "cause_id": "verzonnen"},
    )
    assert wrong.status_code == 422


def test_a_thematic_meeting_brings_the_teams_recent_incidents_as_material(clients):
    item = add_item(
        clients["lisa"],
        team_of(clients),
        kind="thematisch",
        title="Werkoverleg agressie",
        work_form="thematisch_werkoverleg",
    ).get_json()
    assert item["work_form"]["steps"][0].startswith("Er binnen het team is gesproken")
    assert item["material"]["register_query"]["team"] == str(item["team"]["id"])
    assert {"total", "previous", "by_behaviour"} <= set(item["material"])
    mismatched = add_item(clients["lisa"], team_of(clients), kind="training", work_form="dilemma")
    assert mismatched.status_code == 422


def test_the_coordinator_sees_open_actions_across_teams(clients):
    add_item(clients["lisa"], team_of(clients))
    add_item(clients["peter"], team_of(clients, "peter"), title="Intervisie BOA", kind="intervisie")
    items = clients["coordinator"].get("/api/learning/plan/open").get_json()["items"]
    assert {i["team"]["name"] for i in items} == {"Sociaal Domein", "Handhaving (BOA)"}
    assert clients["lisa"].get("/api/learning/plan/open").status_code == 403


def test_a_change_cannot_empty_what_an_item_always_has(clients):
    item = add_item(clients["lisa"], team_of(clients)).get_json()
    for field in ("title", "due_on", "state"):
        emptied = clients["lisa"].put(
            f"/api/learning/plan/{item['id']}", json={"version": 1, field: None}
        )
        assert emptied.status_code == 422 and field in emptied.get_json()["fields"], field
    kept = clients["lisa"].get(f"/api/learning/teams/{item['team']['id']}/plan").get_json()
    assert [(i["title"], i["due_on"], i["version"]) for i in kept["items"]] == [
        (item["title"], item["due_on"], 1)
    ]
