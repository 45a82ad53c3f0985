"""The alarm over HTTP: who may do what, and bad input that changes nothing."""

import pytest

RAISE = {
    "client_id": "3f0c9a52-1b7e-4d7b-9c55-0a1c2b3d4e5f",
    "test": False,
    "position": {"lat": 52.0907, "lon": 5.1214, "accuracy": 20},
}


def open_alarms(client):
    return client.get("/api/alarms").get_json()["alarms"]


def test_raise_is_idempotent_and_visible_to_responders_not_other_teams(clients):
    first = clients["sanne"].post("/api/alarms", json=RAISE)
    again = clients["sanne"].post("/api/alarms", json=RAISE)
    assert (first.status_code, again.status_code) == (201, 200)
    alarm = first.get_json()["alarm"]
    assert again.get_json()["alarm"]["id"] == alarm["id"]
    assert alarm["worker"]["name"] == "Sanne Jansen" and "position" not in alarm  # her own view
    (seen_by_manager,) = open_alarms(clients["lisa"])
    assert seen_by_manager["id"] == alarm["id"] and seen_by_manager["position"]["accuracy"] == 20
    assert open_alarms(clients["kim"]) == []
    assert clients["kim"].get(f"/api/alarms/{alarm['id']}").status_code == 404


def test_timeline_is_for_managers_and_the_coordinator(clients):
    alarm_id = clients["sanne"].post("/api/alarms", json=RAISE).get_json()["alarm"]["id"]
    assert "timeline" not in clients["sanne"].get(f"/api/alarms/{alarm_id}").get_json()
    assert (
        clients["lisa"]
        .post(f"/api/alarms/{alarm_id}/acknowledge", json={"response": "coming"})
        .status_code
        == 200
    )
    timeline = clients["coordinator"].get(f"/api/alarms/{alarm_id}").get_json()["timeline"]
    labels = [entry["label"] for entry in timeline]
    assert labels[0] == "Alarm gemaakt door Sanne Jansen"
    assert "Gewaarschuwd: Lisa de Vries (stap 1)" in labels
    assert labels[-1] == "Lisa de Vries: komt eraan"


@pytest.mark.parametrize(
    "body,field",
    [
        ({**RAISE, "worker_id": 7}, "worker_id"),  # for another user
        ({**RAISE, "position": {"lat": 91, "lon": 5, "accuracy": 5}}, "position.lat"),
        ({**RAISE, "position": {"lat": 52, "lon": 181, "accuracy": 5}}, "position.lon"),
        ({**RAISE, "position": {"lat": 52, "lon": 5, "accuracy": -1}}, "position.accuracy"),
        ({**RAISE, "client_id": "short"}, "client_id"),
        ({**RAISE, "client_id": "<script>alert(1)</script>"}, "client_id"),
        ({**RAISE, "test": "yes"}, "test"),
    ],
)
def test_bad_raise_is_refused_and_stores_nothing(clients, body, field):
    response = clients["sanne"].post("/api/alarms", json=body)
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert open_alarms(clients["lisa"]) == []


def event_count(client):
    return len(client.get("/api/events").get_json()["events"])


def test_unknown_alarm_ids_are_404_and_change_nothing(clients):
    alarms_before = {who: open_alarms(clients[who]) for who in ("lisa", "sanne")}
    events_before = {who: event_count(clients[who]) for who in ("lisa", "sanne")}
    for path, body in (
        ("acknowledge", {"response": "coming"}),
        ("resolve", {"outcome": "false_alarm"}),
        ("receipts", {"state": "seen", "channel": "push"}),
        ("positions", {"lat": 1, "lon": 1, "accuracy": 1}),
        ("cancel", {"pin": "4826"}),
    ):
        response = clients["lisa"].post(f"/api/alarms/424242/{path}", json=body)
        assert response.status_code == 404, path
        assert response.get_json()["error"] == "Onbekend alarm."
    assert {who: open_alarms(clients[who]) for who in ("lisa", "sanne")} == alarms_before
    assert {who: event_count(clients[who]) for who in ("lisa", "sanne")} == events_before


def test_other_team_cannot_acknowledge_and_worker_cannot_resolve(clients):
    alarm_id = clients["sanne"].post("/api/alarms", json=RAISE).get_json()["alarm"]["id"]
    assert (
        clients["kim"]
        .post(f"/api/alarms/{alarm_id}/acknowledge", json={"response": "coming"})
        .status_code
        == 404
    )
    assert (
        clients["sanne"]
        .post(f"/api/alarms/{alarm_id}/resolve", json={"outcome": "false_alarm"})
        .status_code
        == 403
    )
    assert (
        clients["lisa"]
        .post(f"/api/alarms/{alarm_id}/acknowledge", json={"response": "maybe"})
        .status_code
        == 422
    )
    assert open_alarms(clients["lisa"])[0]["acknowledgements"] == []


def test_cancel_with_wrong_pin_is_422_and_right_pin_closes(clients):
    alarm_id = clients["sanne"].post("/api/alarms", json=RAISE).get_json()["alarm"]["id"]
    wrong = clients["sanne"].post(f"/api/alarms/{alarm_id}/cancel", json={"pin": "0000"})
    assert wrong.status_code == 422
    assert wrong.get_json()["error"] == "Onjuiste pincode. Nog 2 pogingen."
    assert len(open_alarms(clients["lisa"])) == 1
    right = clients["sanne"].post(f"/api/alarms/{alarm_id}/cancel", json={"pin": "4826"})
    assert right.get_json()["alarm"]["state"] == "cancelled"
    assert open_alarms(clients["lisa"]) == []


def test_pins_can_be_changed_with_the_password_only(app, clients):
    worker = clients["sanne"]
    assert (
        worker.put(
            "/api/me/pins", json={"password": "fout", "pin": "2468", "duress_pin": "1357"}
        ).status_code
        == 403
    )
    assert (
        worker.put(
            "/api/me/pins", json={"password": "veldwacht-demo", "pin": "2468", "duress_pin": "2468"}
        ).status_code
        == 422
    )
    assert (
        worker.put(
            "/api/me/pins", json={"password": "veldwacht-demo", "pin": "2468", "duress_pin": "1357"}
        ).status_code
        == 204
    )
    alarm_id = worker.post("/api/alarms", json=RAISE).get_json()["alarm"]["id"]
    assert worker.post(f"/api/alarms/{alarm_id}/cancel", json={"pin": "4826"}).status_code == 422
    assert worker.post(f"/api/alarms/{alarm_id}/cancel", json={"pin": "2468"}).status_code == 200


def test_settings_give_the_map_tiles_the_csp_allows(clients, client):
    tiles = clients["sanne"].get("/api/settings").get_json()["tile_url"]
    with client.get("/") as page:
        assert tiles.split("/{z}")[0] in page.headers["Content-Security-Policy"]


def test_readiness_is_need_to_know(clients):
    mine = clients["sanne"].get("/api/alarm-readiness").get_json()["people"]
    assert [p["user"]["name"] for p in mine] == ["Sanne Jansen"]
    assert mine[0]["status"] == "untested"
    team = {
        p["user"]["name"] for p in clients["lisa"].get("/api/alarm-readiness").get_json()["people"]
    }
    assert {"Sanne Jansen", "Mohammed El Amrani", "Anouk Visser"} <= team
    assert "Kim Smit" not in team


def test_a_teams_escalation_policy_is_for_its_own_managers_the_coordinator_and_admins(clients):
    url = f"/api/teams/{clients['sanne'].get('/api/me').get_json()['team']['id']}"
    for reader in ("lisa", "coordinator", "beheer"):
        assert clients[reader].get(f"{url}/escalation-policy").status_code == 200, reader
    refused = clients["peter"].get(f"{url}/escalation-policy")  # Handhaving's manager
    assert (refused.status_code, refused.get_json()["error"]) == (404, "Onbekend team.")


def test_team_escalation_policy_is_data_the_coordinator_edits(clients):
    team = clients["sanne"].get("/api/me").get_json()["team"]["id"]
    url = f"/api/teams/{team}/escalation-policy"
    current = clients["lisa"].get(url).get_json()
    assert current["alarm_steps"][0] == {
        "after_seconds": 0,
        "targets": ["team_on_duty", "buddy", "manager"],
    }
    manager_only = {
        "alarm_steps": [
            {"after_seconds": 0, "targets": ["manager"]},
            {"after_seconds": 30, "targets": ["all_on_duty"]},
        ],
        "overdue": {
            "grace_minutes": {"laag": 3, "verhoogd": 2, "hoog": 1, "niet_gaan": 1},
            "manager_after_minutes": 5,
        },
    }
    assert clients["lisa"].put(url, json=manager_only).status_code == 403
    late_first = {**manager_only, "alarm_steps": [{"after_seconds": 10, "targets": ["manager"]}]}
    refused = clients["coordinator"].put(url, json=late_first)
    assert refused.status_code == 422 and "steps.1.after_seconds" in refused.get_json()["fields"]
    upside_down = {
        **manager_only,
        "overdue": {  # hoog would wait longer than laag
            "grace_minutes": {"laag": 1, "verhoogd": 2, "hoog": 5, "niet_gaan": 5},
            "manager_after_minutes": 5,
        },
    }
    assert clients["coordinator"].put(url, json=upside_down).status_code == 422

    before = clients["sanne"].post("/api/alarms", json=RAISE).get_json()["alarm"]["id"]
    assert clients["coordinator"].put(url, json=manager_only).status_code == 200
    after = (
        clients["sanne"]
        .post("/api/alarms", json={**RAISE, "client_id": "second-alarm-1"})
        .get_json()["alarm"]["id"]
    )

    def alerted(alarm_id):
        timeline = clients["coordinator"].get(f"/api/alarms/{alarm_id}").get_json()["timeline"]
        return {e["subject"]["name"] for e in timeline if e["kind"] == "notified"}

    assert "Mohammed El Amrani" in alerted(before)  # the snapshot from before the change
    assert alerted(after) == {"Lisa de Vries"}


def test_a_manager_under_duress_sees_only_a_withdrawn_alarm_on_their_own_phone(clients):
    """Managers oversee their team's alarms, but never their own: their phone must show a
    duress withdrawal exactly like a cancel — no open alarm, no timeline saying DWANG."""
    manager = clients["lisa"]
    alarm_id = manager.post("/api/alarms", json=RAISE).get_json()["alarm"]["id"]
    cancelled = manager.post(f"/api/alarms/{alarm_id}/cancel", json={"pin": "7391"})
    assert cancelled.get_json()["alarm"]["state"] == "cancelled"
    assert manager.get("/api/alarms").get_json()["alarms"] == []
    own = manager.get(f"/api/alarms/{alarm_id}").get_json()
    assert own["alarm"]["state"] == "cancelled" and "timeline" not in own
    assert "DWANG" not in str(own)
    truth = clients["coordinator"].get(f"/api/alarms/{alarm_id}").get_json()
    assert truth["alarm"]["duress"] is True and truth["alarm"]["state"] == "open"
