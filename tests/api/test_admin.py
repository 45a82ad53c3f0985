"""Organisation administration over HTTP: every /api/admin route per role (the administrator
changes, the coordinator reads, the others get 403); departments, teams and people; the chain
of managers refused with a loop, a non-manager, an unknown team; a duplicate username; a
leaver's sessions, devices, people, teams and open follow-up; the staff CSV's dry run, its
refusal of a file with any wrong line (line and column named, nothing applied), applying it,
and the export read back unchanged; the change log."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from services.accounts.models import ManagedTeam, User
from services.admin.models import AdminChange
from services.escalation.models import EscalationPolicy
from services.push.models import PushSubscription
from tests.api.test_incidents_api import capture
from tests.conftest import login, runtime_of, user_id

READERS, CHANGERS = ("coordinator", "beheer"), ("beheer",)


def admin_routes(app) -> list[tuple[str, str]]:
    """The routes of organisation administration (app/api/admin.py), ids of nobody."""
    found = []
    for rule in app.url_map.iter_rules():
        if app.view_functions[rule.endpoint].__module__ == "app.api.admin":
            path = re.sub(r"<int:\w+>", "999999", rule.rule)
            found += [(m, path) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def organisation(client) -> dict:
    answer = client.get("/api/admin/organisation")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def person(client, username: str) -> dict:
    return next(p for p in organisation(client)["people"] if p["username"] == username)


def team_id(client, name: str) -> int:
    return next(t["id"] for t in organisation(client)["teams"] if t["name"] == name)


def edited(p: dict, **changes) -> dict:
    """A person as the form sends them back, with `changes`."""
    keys = ("username", "name", "email", "phone", "role", "team_id", "function_group")
    return {
        **{k: p[k] for k in keys},
        "manager_id": p["manager_id"],
        "leads_team_ids": p["leads_team_ids"],
        "on_duty": p["on_duty"],
        **changes,
    }


def changes_count(app) -> int:
    with runtime_of(app).db.reader() as uow:
        return uow.session.scalar(select(func.count()).select_from(AdminChange))


def test_every_admin_route_per_role(app, clients):
    routes = admin_routes(app)
    assert len(routes) >= 12
    for who in ("sanne", "lisa", "coordinator"):
        for method, path in routes:
            status = clients[who].open(path, method=method, json={}).status_code
            reads = method == "GET" and who in READERS
            assert (status == 200) if reads else (status == 403), (who, method, path, status)
    for method, path in routes:
        status = clients["beheer"].open(path, method=method, json={}).status_code
        # a change with an empty body is refused for its fields, never for the role
        assert status == 200 if method == "GET" else status in (404, 422), (method, path, status)


def test_the_administrator_adds_a_department_a_team_and_a_person_who_signs_in_once(app, clients):
    admin = clients["beheer"]
    department = admin.post("/api/admin/departments", json={"name": "Publiekszaken"})
    assert department.status_code == 201
    team = admin.post(
        "/api/admin/teams",
        json={"name": "Balie", "department_id": department.get_json()["department"]["id"]},
    )
    assert team.status_code == 201
    balie = team.get_json()["team"]["id"]
    with runtime_of(app).db.reader() as uow:  # its alarm steps before its first alarm
        assert uow.session.get(EscalationPolicy, balie).alarm_steps
    secretary = user_id(app, "gemeentesecretaris")
    added = admin.post(
        "/api/admin/people",
        json={
            "username": " Eva.Smit ",
            "name": "Eva Smit",
            "email": "eva.smit@demodorp.example",
            "phone": "+31 6 1000 0099",
            "role": "leidinggevende",
            "team_id": balie,
            "manager_id": secretary,
            "leads_team_ids": [balie],
        },
    )
    assert added.status_code == 201, added.get_json()
    eva, password = added.get_json()["person"], added.get_json()["one_time_password"]
    assert eva["username"] == "eva.smit" and eva["leads_team_ids"] == [balie]
    assert [c["name"] for c in eva["chain"]] == ["Marieke Hendriks", "Jeroen Kramer"]
    assert eva["must_change_password"] is True and len(password) >= 20
    client = app.test_client()
    signed_in = client.post("/api/auth/login", json={"username": "eva.smit", "password": password})
    assert signed_in.status_code == 200
    assert client.get("/api/me").get_json()["must_change_password"] is True
    balie_team = next(t for t in organisation(admin)["teams"] if t["id"] == balie)
    assert balie_team["leader_ids"] == [eva["id"]]
    assert (
        admin.post("/api/admin/teams", json={"name": "balie", "department_id": 1}).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("username", "changes", "status", "field", "message"),
    [
        ("loco", {"manager_id": "lisa"}, 422, "manager_id", "kring in de lijn"),
        ("sanne", {"manager_id": "mohammed"}, 422, "manager_id", "geen leidinggevende"),
        ("sanne", {"manager_id": "sanne"}, 422, "manager_id", "eigen leidinggevende"),
        ("sanne", {"manager_id": 999999}, 422, "manager_id", "Onbekende leidinggevende"),
        ("sanne", {"team_id": 999999}, 422, "team_id", "Onbekend team"),
        ("sanne", {"leads_team_ids": "Sociaal Domein"}, 422, "leads_team_ids", "Alleen een"),
        ("lisa", {"role": "medewerker", "leads_team_ids": []}, 422, "role", "leidinggevende van"),
        ("sanne", {"username": "mohammed"}, 409, "username", "al in gebruik"),
        ("sanne", {"email": "kim@demodorp.example"}, 409, "email", "al van Kim Smit"),
        ("sanne", {"email": "geen-adres"}, 422, "email", "Geen geldig e-mailadres"),
        ("beheer", {"role": "medewerker"}, 422, "role", "actieve beheerder"),
    ],
)
def test_a_bad_change_is_refused_with_its_field_and_changes_nothing(
    app, clients, username, changes, status, field, message
):
    admin = clients["beheer"]
    for key in ("manager_id",):
        if isinstance(changes.get(key), str):
            changes = {**changes, key: user_id(app, changes[key])}
    if isinstance(changes.get("leads_team_ids"), str):
        changes = {**changes, "leads_team_ids": [team_id(admin, changes["leads_team_ids"])]}
    before, logged = organisation(admin), changes_count(app)
    target = next(p for p in before["people"] if p["username"] == username)
    answer = admin.put(f"/api/admin/people/{target['id']}", json=edited(target, **changes))
    assert answer.status_code == status, answer.get_json()
    assert field in answer.get_json()["fields"], answer.get_json()
    assert message in answer.get_json()["fields"][field] + answer.get_json()["error"]
    assert organisation(admin) == before and changes_count(app) == logged


def test_the_form_names_the_loop_in_english_too(app, clients):
    admin, loco = clients["beheer"], person(clients["beheer"], "loco")
    answer = admin.put(
        f"/api/admin/people/{loco['id']}",
        json=edited(loco, manager_id=user_id(app, "lisa")),
        headers={"Accept-Language": "en"},
    )
    assert answer.get_json()["fields"]["manager_id"] == (
        "That makes a loop in the chain of managers: Jeroen Kramer → Lisa de Vries → "
        "Marieke Hendriks → Jeroen Kramer."
    )


def test_a_change_is_in_the_log_with_before_and_after_for_the_coordinator_too(app, clients):
    admin = clients["beheer"]
    sanne = person(admin, "sanne")
    answer = admin.put(
        f"/api/admin/people/{sanne['id']}", json=edited(sanne, phone="+31 6 2000 0011")
    )
    assert answer.status_code == 200 and answer.get_json()["person"]["phone"] == "+31 6 2000 0011"
    log = clients["coordinator"].get(f"/api/admin/changes?entity=person&entity_id={sanne['id']}")
    newest = log.get_json()["changes"][0]
    assert (newest["actor"]["name"], newest["action"], newest["via"]) == (
        "Bas Beheer",
        "changed",
        "app",
    )
    assert (newest["before"], newest["after"]) == (
        {"phone": "+31 6 1000 0011"},
        {"phone": "+31 6 2000 0011"},
    )
    assert clients["beheer"].get("/api/admin/changes?limit=0").status_code == 422


def _subscribe(app, username: str) -> None:
    with runtime_of(app).db.uow() as uow:
        uow.session.add(
            PushSubscription(
                user_id=user_id(app, username),
                endpoint=f"https://push.example/{username}",
                p256dh="k",
                auth="a",
                created_at=datetime.now(UTC),
                failures=0,
            )
        )


def test_a_leaver_loses_every_device_at_once_and_keeps_her_history(app, clients):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "anouk")
    login(laptop, "anouk", remember=True)
    _subscribe(app, "anouk")
    report = capture(phone)
    anouk = person(clients["beheer"], "anouk")
    answer = clients["beheer"].post(f"/api/admin/people/{anouk['id']}/deactivate", json={})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["person"]["active"] is False
    assert answer.get_json()["successor"]["name"] == "Lisa de Vries"
    for device in (phone, laptop):
        assert device.get("/api/me").status_code == 401
    assert login_refused(app, "anouk")
    with runtime_of(app).db.reader() as uow:
        assert (
            uow.session.scalar(
                select(func.count())
                .select_from(PushSubscription)
                .where(PushSubscription.user_id == anouk["id"])
            )
            == 0
        )
    kept = clients["lisa"].get(f"/api/incidents/{report['id']}")  # her report stays
    assert (
        kept.status_code == 200 and kept.get_json()["incident"]["victim"]["name"] == "Anouk Visser"
    )
    again = clients["beheer"].post(f"/api/admin/people/{anouk['id']}/deactivate", json={})
    assert again.status_code == 409
    back = clients["beheer"].post(f"/api/admin/people/{anouk['id']}/reactivate", json={})
    assert back.status_code == 200 and back.get_json()["person"]["active"] is True
    assert phone.get("/api/me").status_code == 401  # a new login on each device
    mine = clients["beheer"].post(f"/api/admin/people/{user_id(app, 'beheer')}/deactivate", json={})
    assert mine.status_code == 403


def login_refused(app, username: str) -> bool:
    from services.demo import DEMO_PASSWORD

    answer = app.test_client().post(
        "/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    return answer.status_code == 401


def test_a_leaving_manager_hands_on_her_people_teams_and_open_follow_up(app, clients):
    report = capture(clients["sanne"])
    lisa_id, secretary_id = user_id(app, "lisa"), user_id(app, "gemeentesecretaris")
    version = (
        clients["lisa"].get(f"/api/incidents/{report['id']}").get_json()["incident"]["version"]
    )
    cause = {
        "kind": "direct",
        "category": "organisatorisch",
        "description": "Geen tweede collega mee",
        "action": "Afspraken over huisbezoeken",
        "action_owner_id": lisa_id,
    }
    saved = clients["lisa"].put(
        f"/api/incidents/{report['id']}/analysis", json={"version": version, "causes": [cause]}
    )
    assert saved.status_code == 200, saved.get_json()
    answer = clients["beheer"].post(f"/api/admin/people/{lisa_id}/deactivate", json={})
    assert answer.status_code == 200, answer.get_json()
    left = answer.get_json()
    assert left["successor"]["name"] == "Marieke Hendriks"
    assert {p["name"] for p in left["reports_moved"]} == {
        "Sanne Jansen",
        "Mohammed El Amrani",
        "Anouk Visser",
    }
    sociaal = team_id(clients["beheer"], "Sociaal Domein")
    assert left["teams_moved"] == [sociaal]
    assert person(clients["beheer"], "sanne")["manager_id"] == secretary_id
    with runtime_of(app).db.reader() as uow:
        leads = set(
            uow.session.scalars(
                select(ManagedTeam.team_id).where(ManagedTeam.manager_id == secretary_id)
            )
        )
    assert sociaal in leads
    # the secretary's Te doen has the report, with the analysis action now hers
    todo = clients["gemeentesecretaris"].get("/api/followup/todo").get_json()["todo"]
    assert report["id"] in [e["incident"]["id"] for e in todo]
    detail = clients["gemeentesecretaris"].get(f"/api/incidents/{report['id']}/followup")
    causes = detail.get_json()["followup"]["analysis"]["causes"]
    assert causes[0]["action_owner_id"] == secretary_id
    history = clients["gemeentesecretaris"].get(f"/api/incidents/{report['id']}").get_json()
    assert "overgedragen" in [h["action"] for h in history["incident"]["history"]]
    log = clients["coordinator"].get(
        f"/api/admin/changes?entity=person&entity_id={user_id(app, 'sanne')}"
    )
    moved = log.get_json()["changes"][0]
    assert (moved["via"], moved["before"], moved["after"]) == (
        "leaving",
        {"manager": "lisa"},
        {"manager": "gemeentesecretaris"},
    )


def test_nobody_above_means_the_top_cannot_leave_yet(app, clients):
    loco = user_id(app, "loco")
    answer = clients["beheer"].post(f"/api/admin/people/{loco}/deactivate", json={})
    assert answer.status_code == 422
    assert "Niemand boven Jeroen Kramer" in answer.get_json()["error"]
    assert person(clients["beheer"], "loco")["active"] is True


# ---- the staff CSV --------------------------------------------------------------------------

HEADER = "gebruikersnaam;naam;e-mail;rol;team;leidinggevende;leidt teams;in dienst\n"


def dry_run(client, text: str) -> dict:
    answer = client.post("/api/admin/people/import", json={"csv": text})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_the_export_reads_back_as_unchanged(clients):
    export = clients["coordinator"].get("/api/admin/people.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    text = export.get_data(as_text=True)
    assert text.startswith("\ufeffgebruikersnaam;naam;e-mail;telefoon;rol;team;functiegroep;")
    assert (
        "sanne;Sanne Jansen;sanne@demodorp.example;'+31 6 1000 0011;medewerker;Sociaal Domein"
        in text
    )
    report = dry_run(clients["beheer"], text)
    assert report["problems"] == [] and set(report["summary"]) == {"unchanged"}
    assert report["summary"]["unchanged"] == text.count("\n") - 1


def test_a_file_with_wrong_lines_is_reported_line_by_line_and_applies_nothing(app, clients):
    text = HEADER + (
        "nina;Nina de Wit;;leidinggevende;Sociaal Domein;gemeentesecretaris;Sociaal Domein;nee\n"
        "tom;Tom Bos;;medewerker;Sociaal Domein;nina;;ja\n"
        "sanne;Sanne Jansen;sanne@demodorp.example;medewerker;Sociaal Domein;nina;;ja\n"
        "kees;Kees;;baas;Nergens;lisa;;misschien\n"
        "tom;Tom Twee;;medewerker;;;;nee\n"
        "loco;Jeroen Kramer;loco@demodorp.example;leidinggevende;;nina;;nee\n"
        '"kapot;Kapot;;medewerker;;;;nee\n'
    )
    report = dry_run(clients["beheer"], text)
    problems = {(p["line"], p["column"]) for p in report["problems"]}
    assert problems == {
        (2, "leidinggevende"),  # nina -> gemeentesecretaris -> loco -> nina: both lines
        (5, "rol"),
        (5, "team"),
        (5, "in dienst"),
        (6, "gebruikersnaam"),
        (7, "leidinggevende"),
        (8, ""),
    }, report["problems"]
    messages = {(p["line"], p["column"]): p["message"] for p in report["problems"]}
    assert messages[(5, "rol")] == "Onbekende rol: baas."
    assert messages[(6, "gebruikersnaam")] == "Deze gebruikersnaam staat al op regel 3."
    assert "kring" in messages[(7, "leidinggevende")]
    lines = {line["line"]: line for line in report["lines"]}
    assert lines[2]["action"] == "created" and lines[4]["action"] == "changed"
    assert lines[4]["changes"] == {"manager": {"before": "lisa", "after": "nina"}}
    logged = changes_count(app)
    refused = clients["beheer"].post("/api/admin/people/import", json={"csv": text, "apply": True})
    assert refused.status_code == 422
    assert refused.get_json()["fields"]["lines.5.rol"] == "Onbekende rol: baas."
    assert "nina" not in {p["username"] for p in organisation(clients["beheer"])["people"]}
    assert changes_count(app) == logged


def test_a_clean_file_is_applied_whole_with_its_leaver_handled(app, clients):
    text = (
        "gebruikersnaam;naam;e-mail;rol;team;leidinggevende;leidt teams;in dienst;actief\n"
        "nina;Nina de Wit;;leidinggevende;Sociaal Domein;gemeentesecretaris;Sociaal Domein;nee;ja\n"
        "tom;Tom Bos;;medewerker;Sociaal Domein;nina;;ja;ja\n"
        "sanne;Sanne Jansen;sanne@demodorp.example;medewerker;Sociaal Domein;nina;;ja;ja\n"
        "lisa;Lisa de Vries;lisa@demodorp.example;leidinggevende;Sociaal Domein;"
        "gemeentesecretaris;;nee;nee\n"
    )
    lisa_phone = app.test_client()
    login(lisa_phone, "lisa")
    report = dry_run(clients["beheer"], text)
    assert report["problems"] == [] and report["applied"] is False
    assert report["summary"] == {"created": 2, "changed": 3, "left": 1}
    consequences = [x for x in report["lines"] if x["line"] is None]
    assert {x["username"] for x in consequences} == {"mohammed", "anouk"}  # lisa's other people
    assert person(clients["beheer"], "lisa")["active"] is True  # a dry run changes nothing
    applied = clients["beheer"].post("/api/admin/people/import", json={"csv": text, "apply": True})
    assert applied.status_code == 200 and applied.get_json()["applied"] is True
    people = {p["username"]: p for p in organisation(clients["beheer"])["people"]}
    secretary = user_id(app, "gemeentesecretaris")
    assert people["tom"]["manager_id"] == people["sanne"]["manager_id"] == people["nina"]["id"]
    assert people["lisa"]["active"] is False and people["mohammed"]["manager_id"] == secretary
    assert lisa_phone.get("/api/me").status_code == 401
    with runtime_of(app).db.reader() as uow:
        tom = uow.session.scalar(select(User).where(User.username == "tom"))
        assert tom.must_change_password is True
    log = clients["coordinator"].get("/api/admin/changes?entity=person").get_json()["changes"]
    assert sorted((c["label"], c["action"], c["via"]) for c in log) == [
        ("Anouk Visser", "changed", "leaving"),
        ("Lisa de Vries", "left", "import"),
        ("Mohammed El Amrani", "changed", "leaving"),
        ("Nina de Wit", "created", "import"),
        ("Sanne Jansen", "changed", "import"),
        ("Tom Bos", "created", "import"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", (1, "")),
        ("naam;rol\nx;medewerker\n", (1, "gebruikersnaam")),
        ("gebruikersnaam;naam;rol;kleur\nx1;X;medewerker;rood\n", (1, "kleur")),
        ("gebruikersnaam;naam;rol\nx1;X\n", (2, "")),
        ("gebruikersnaam,naam,rol\nx1,X,medewerker\nX!;Y;medewerker\n", (3, "")),
        ("gebruikersnaam;naam;rol;actief\nsanne;Sanne;medewerker;soms\n", (2, "actief")),
        (
            "gebruikersnaam;naam;rol;leidt teams\nsanne;Sanne;medewerker;Sociaal Domein\n",
            (2, "leidt teams"),
        ),
    ],
)
def test_malformed_csv_lines_are_named_by_line_and_column(clients, text, problem):
    report = dry_run(clients["beheer"], text)
    assert problem in {(p["line"], p["column"]) for p in report["problems"]}, report["problems"]


def test_the_import_takes_a_municipalitys_staff_in_one_request(clients):
    lines = [HEADER.strip()] + [
        f"p{n:04};Persoon {n};;medewerker;Sociaal Domein;lisa;;nee" for n in range(2000)
    ]
    text = "\n".join(lines)
    report = dry_run(clients["beheer"], text)
    assert report["problems"] == [] and report["summary"]["created"] == 2000
    applied = clients["beheer"].post("/api/admin/people/import", json={"csv": text, "apply": True})
    assert applied.status_code == 200
    assert len(organisation(clients["beheer"])["people"]) == 2015
