"""Every /api route checks authentication, and roles narrow what each user sees."""

import re

import pytest

from app import create_app
from tests.conftest import WS_UPGRADE, app_config, login, runtime_of, user_id


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<int:\w+>", "1", rule.rule)
            path = re.sub(r"<\w+>", "x", path)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                yield method, path


# Signing in: the password, then (when asked) the second factor; how one may sign in; the
# provider's way in and back, which is not there while single sign-on is off.
SIGN_IN = {"/api/auth/login", "/api/auth/second-factor"}
PUBLIC = {"/api/auth/options": 200, "/api/auth/oidc/login": 404, "/api/auth/oidc/callback": 404}


def test_every_api_route_but_login_refuses_anonymous(app, client):
    routes = list(api_routes(app))
    assert len(routes) >= 15
    for method, path in routes:
        response = client.open(path, method=method, json={})
        if path in SIGN_IN:
            assert response.status_code == 422  # reachable without a session, body checked
        elif path in PUBLIC:
            assert response.status_code == PUBLIC[path], (method, path)
        else:
            assert response.status_code == 401, (method, path)
            assert response.get_json() == {"error": "Log eerst in."}


def test_websocket_refuses_anonymous_before_upgrade(client):
    response = client.get(
        "/ws",
        headers=WS_UPGRADE,
    )
    assert response.status_code == 401


def test_a_worker_cannot_read_another_teams_events(app):
    manager, worker_other_team, worker_same_team = (app.test_client() for _ in range(3))
    login(manager, "peter")  # manager of Handhaving (BOA)
    login(worker_other_team, "sanne")  # Sociaal Domein
    login(worker_same_team, "kim")  # Handhaving (BOA)
    team = manager.get("/api/me").get_json()["team"]["id"]
    sent = manager.post("/api/messages", json={"team_id": team, "text": "Briefing om 14:00"})
    assert sent.status_code == 201
    event_id = sent.get_json()["event"]["id"]

    def seen_by(client):
        return [e["id"] for e in client.get("/api/events?since=0").get_json()["events"]]

    assert event_id in seen_by(worker_same_team)
    assert event_id not in seen_by(worker_other_team)


def test_a_worker_cannot_address_another_team_or_its_people(app, client):
    login(client, "sanne")
    kim = user_id(app, "kim")
    assert client.post("/api/messages", json={"user_id": kim, "text": "hoi"}).status_code == 403
    people = {p["name"] for p in client.get("/api/people").get_json()["people"]}
    assert "Kim Smit" not in people and {"Lisa de Vries", "Ingrid Smit"} <= people
    teams = client.get("/api/teams").get_json()["teams"]
    assert [t["name"] for t in teams] == ["Sociaal Domein"]


def test_every_role_reads_the_privacy_page_and_only_its_own_position_list(app, clients):
    sanne = user_id(app, "sanne")
    raised = clients["sanne"].post(
        "/api/alarms",
        json={"client_id": "privacy-access-1", "position": {"lat": 52, "lon": 5, "accuracy": 9}},
    )
    assert raised.status_code == 201
    for username in ("mohammed", "lisa", "coordinator", "beheer"):
        assert clients[username].get("/api/privacy").status_code == 200, username
        theirs = clients[username].get(f"/api/me/position-views?user_id={sanne}")
        assert theirs.status_code == 200 and theirs.get_json()["items"] == [], username
    assert len(clients["sanne"].get("/api/me/position-views").get_json()["items"]) == 1


def test_only_the_administrator_can_log_someone_out_everywhere(app):
    worker, admin, victim = (app.test_client() for _ in range(3))
    login(worker, "sanne")
    login(admin, "beheer")
    login(victim, "kim")
    kim = user_id(app, "kim")
    assert worker.delete(f"/api/users/{kim}/sessions", json={}).status_code == 403
    assert victim.get("/api/me").status_code == 200
    response = admin.delete(f"/api/users/{kim}/sessions", json={})
    assert response.status_code == 200 and response.get_json() == {"revoked": 1}
    assert victim.get("/api/me").status_code == 401


def test_behind_a_trusted_tls_proxy_the_page_is_not_taken_for_another_site(
    instance, db_url, backend
):
    """nginx terminates TLS: the page's Origin is https://, the request reaches us as http.
    With the proxy trusted (VELDWACHT_TRUSTED_PROXIES) its X-Forwarded-Proto counts; without,
    nobody can claim to be the page by sending that header."""
    behind_proxy = {"Origin": "https://localhost", "X-Forwarded-Proto": "https"}
    for trusted, status in ((1, 200), (0, 403)):
        app = create_app(app_config(instance, db_url, backend, TRUSTED_PROXIES=trusted))
        try:
            client = app.test_client()
            login(client, "sanne")
            answer = client.put("/api/me/duty", json={"on_duty": True}, headers=behind_proxy)
            assert answer.status_code == status, trusted
        finally:
            runtime_of(app).close()


@pytest.mark.parametrize("origin", ["https://evil.example", "null"])
def test_cross_site_writes_are_refused(client, origin):
    login(client, "sanne")
    response = client.put("/api/me/duty", json={"on_duty": False}, headers={"Origin": origin})
    assert response.status_code == 403
    assert client.get("/api/me").get_json()["on_duty"] is True


def test_answers_with_personal_data_are_never_cached_and_https_stays_https(clients):
    lisa = clients["lisa"]
    for path in ("/api/incidents", "/api/incidents/export.csv", "/api/air", "/api/me"):
        answer = lisa.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "no-store", path
        assert answer.headers["Permissions-Policy"].startswith("geolocation=(self)")
        assert "Strict-Transport-Security" not in answer.headers  # plain http: a local run
    assert lisa.get("/api/vocabulary").headers["Cache-Control"] == "private, no-cache"
    over_https = lisa.get("/api/me", base_url="https://veldwacht.test")
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_cookies_are_secure_whenever_the_request_came_over_https(app):
    def cookies(base_url):
        answer = app.test_client().post(
            "/api/auth/login",
            json={"username": "sanne", "password": "veldwacht-demo", "remember": True},
            base_url=base_url,
        )
        assert answer.status_code == 200
        return answer.headers.getlist("Set-Cookie")

    over_https = cookies("https://veldwacht.test")
    assert len(over_https) == 2 and all("; Secure" in c for c in over_https)
    assert not any("Secure" in c for c in cookies("http://localhost"))  # a local plain-http run
