"""Signing in as an attacker would try it, and the credentials a person may choose: no answer
or timing tells a known name from an unknown one, the owner hears of failed attempts, a
one-time password must be changed first, and a password or PIN a guesser tries first is
refused in words."""

import statistics
import time
import uuid

from app import create_app
from tests.conftest import app_config, login, runtime_of

RIGHT = "veldwacht-demo"  # the demo's
GOOD = "fietsen langs de vecht"


def attempt(client, username, password, address):
    return client.post(
        "/api/auth/login",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_known_and_an_unknown_name_get_the_same_answer_in_the_same_time(app):
    """Twenty pairs, each a known and an unknown name back to back (in turn which goes first),
    each from an address of its own and never more than twice on an account, so no delay comes
    into it: the median of the pairs' ratios within 10 %. A pair shares the machine's load of
    its moment, which the other test processes make come and go."""
    client = app.test_client()
    known_names = ["sanne", "mohammed", "anouk", "kim", "daan", "yara", "joost", "fatima", "lisa"]
    ratios, answers = [], set()

    def timed(name, address):
        start = time.perf_counter()
        answer = attempt(client, name, "fout", address)
        answers.add((answer.status_code, answer.get_json()["error"]))
        return time.perf_counter() - start

    for n in range(20):
        names = {"known": known_names[n % 9], "unknown": f"x{uuid.uuid4().hex[:8]}"}
        order = ("known", "unknown") if n % 2 else ("unknown", "known")
        took = {kind: timed(names[kind], f"10.{n}.{i}.1") for i, kind in enumerate(order)}
        ratios.append(took["unknown"] / took["known"])
    assert answers == {(401, "Onbekende gebruikersnaam of onjuist wachtwoord.")}
    assert 0.9 <= statistics.median(ratios) <= 1.1, sorted(ratios)


def test_the_owner_is_told_how_many_attempts_failed_since_her_last_login(app):
    client = app.test_client()
    assert login(client, "sanne").get_json()["failed_attempts"] is None
    for _ in range(2):
        assert attempt(client, "sanne", "fout", "203.0.113.9").status_code == 401
    told = login(client, "sanne").get_json()["failed_attempts"]
    assert told["count"] == 2 and told["since"]
    assert login(client, "sanne").get_json()["failed_attempts"] is None


def test_the_administrator_sees_repeated_attempts_others_do_not(clients):
    for _ in range(3):
        attempt(clients["beheer"], "kim", "fout", "203.0.113.10")
    listed = clients["beheer"].get("/api/admin/sign-in-attempts").get_json()["accounts"]
    assert [(a["username"], a["known"], a["failures"]) for a in listed] == [("kim", True, 3)]
    for name in ("sanne", "lisa", "coordinator"):
        assert clients[name].get("/api/admin/sign-in-attempts").status_code == 403


def test_a_new_password_must_be_long_uncommon_and_not_ones_own_name(clients):
    sanne = clients["sanne"]

    def change(new, current=RIGHT):
        return sanne.put("/api/me/password", json={"password": current, "new_password": new})

    for weak, why in (
        ("kort-wacht", "minstens 12 tekens"),
        ("Welkom01!Welkom", "te makkelijk te raden"),
        ("Wachtwoord123!", "te makkelijk te raden"),
        ("sanne-op-pad-2026", "naam"),
        (RIGHT, "gelijk aan huidige"),
    ):
        refused = change(weak)
        assert refused.status_code == 422, weak
        assert why in refused.get_json()["fields"]["new_password"], weak
    assert change(GOOD, current="fout").status_code == 403
    assert change(GOOD).status_code == 204
    fresh = sanne.application.test_client()
    assert attempt(fresh, "sanne", RIGHT, "203.0.113.11").status_code == 401
    assert attempt(fresh, "sanne", GOOD, "203.0.113.11").status_code == 200


def test_pins_a_bystander_would_try_first_are_refused(clients):
    def choose(pin, duress):
        return clients["sanne"].put(
            "/api/me/pins", json={"password": RIGHT, "pin": pin, "duress_pin": duress}
        )

    for pin, duress, field in (
        ("1234", "5820", "pin"),
        ("5820", "0000", "duress_pin"),
        ("9876", "5820", "pin"),
        ("1212", "5820", "pin"),
        ("2580", "5820", "pin"),
        ("5820", "1234567", "duress_pin"),
        ("5820", "5820", "duress_pin"),
    ):
        refused = choose(pin, duress)
        assert refused.status_code == 422, (pin, duress)
        assert set(refused.get_json()["fields"]) == {field}, (pin, duress)
    assert choose("5820", "3917").status_code == 204


def test_a_first_start_without_the_demo_has_one_administrator_who_chooses_a_password_first(
    tmp_path, backend, monkeypatch
):
    monkeypatch.setenv("VELDWACHT_ORG_NAME", "Gemeente Vechtdal")
    app = create_app(app_config(tmp_path, backend.empty(tmp_path), backend))
    try:
        result = app.test_cli_runner().invoke(args=["setup", "--no-demo"])
        assert result.exit_code == 0, result.output
        assert "Demo" not in result.output and "'Gemeente Vechtdal' created" in result.output
        one_time = result.output.split("password  ")[1].split()[0]
        client = app.test_client()
        me = attempt(client, "beheerder", one_time, "203.0.113.12").get_json()["user"]
        assert me["role"] == "beheerder" and me["must_change_password"] is True
        blocked = client.get("/api/admin/sign-in-attempts")
        assert (blocked.status_code, blocked.get_json()["error"]) == (
            403,
            "Kies eerst een nieuw wachtwoord.",
        )
        assert client.get("/api/me").status_code == 200
        changed = client.put("/api/me/password", json={"password": one_time, "new_password": GOOD})
        assert changed.status_code == 204
        assert client.get("/api/me").get_json()["must_change_password"] is False
        assert client.get("/api/admin/sign-in-attempts").status_code == 200
        again = app.test_cli_runner().invoke(args=["setup", "--no-demo"])
        assert "password" not in again.output  # an organisation exists: nothing is made again
    finally:
        runtime_of(app).close()


def test_the_administrator_resets_a_forgotten_password_with_a_one_time_one(clients, app):
    sanne_id = clients["sanne"].get("/api/me").get_json()["id"]
    for someone in ("sanne", "lisa", "coordinator"):
        refused = clients[someone].post(f"/api/admin/people/{sanne_id}/password-reset", json={})
        assert refused.status_code == 403
    reset = clients["beheer"].post(f"/api/admin/people/{sanne_id}/password-reset", json={})
    assert reset.status_code == 200
    one_time = reset.get_json()["one_time_password"]
    assert reset.get_json()["expires_at"]
    assert clients["sanne"].get("/api/me").status_code == 401  # her phone is logged out
    logged = clients["coordinator"].get("/api/admin/changes").get_json()["changes"][0]
    assert (logged["action"], logged["label"], logged["entity_id"]) == (
        "password_reset",
        "Sanne Jansen",
        sanne_id,
    )
    phone = app.test_client()
    assert attempt(phone, "sanne", RIGHT, "203.0.113.13").status_code == 401
    me = attempt(phone, "sanne", one_time, "203.0.113.13").get_json()["user"]
    assert me["must_change_password"] is True
    assert phone.get("/api/visits").status_code == 403
    assert (
        phone.put("/api/me/password", json={"password": one_time, "new_password": GOOD}).status_code
        == 204
    )
    assert phone.get("/api/visits").status_code == 200


def test_the_command_line_gives_a_locked_out_administrator_a_one_time_password(app):
    result = app.test_cli_runner().invoke(args=["reset-password", "beheer"])
    assert result.exit_code == 0, result.output
    one_time = result.output.split("beheer: ")[1].split()[0]
    client = app.test_client()
    me = attempt(client, "beheer", one_time, "203.0.113.14").get_json()["user"]
    assert me["must_change_password"] is True
    unknown = app.test_cli_runner().invoke(args=["reset-password", "niemand"])
    assert unknown.exit_code != 0 and "No active user" in unknown.output
