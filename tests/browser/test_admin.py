"""Organisation administration in Debian's headless Chromium. The administrator adds a person
in the Beheer screen and makes her the manager of a team (its workers get her as their
manager); a worker of that team reports an incident; it is in the new manager's Te doen. Then
the administrator deactivates that worker while her phone is open: its websocket is closed
(4401) within a second of the answer, and her next request gets 401.

The team and the people are made for this test, so the shared server's demo people stay as
the other browser tests expect them."""

import secrets
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, VIEWPORT, login
from tests.browser.test_gir import REPORT

pytestmark = pytest.mark.browser

# POST from the administrator's page (its cookie and Origin), answering status and JSON.
POST = """async ([path, body]) => {
    const r = await fetch(path, {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
    return {status: r.status, body: await r.json()};
}"""
# Every websocket the page opens notes its close code.
NOTE_CLOSES = """(() => {
    const Native = window.WebSocket;
    window.__closes = [];
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('close', (e) => window.__closes.push(e.code));
        }
    };
})();"""
ME = "async () => (await fetch('/api/me', {credentials: 'same-origin'})).status"


def first_login(context, base: str, username: str, one_time: str) -> None:
    """Sign in with the one-time password and choose one's own, as a first login asks."""
    signed_in = context.request.post(
        f"{base}/api/auth/login", data={"username": username, "password": one_time}
    )
    assert signed_in.ok, signed_in.text()
    changed = context.request.put(
        f"{base}/api/me/password",
        data={"password": one_time, "new_password": secrets.token_urlsafe(18)},
    )
    assert changed.status == 204, changed.text()


def test_a_new_manager_gets_her_teams_reports_and_a_leavers_phone_is_closed_at_once(
    browser, live_server
):
    base, marker, errors = live_server.url.rstrip("/"), uuid.uuid4().hex[:6], []
    contexts = [browser.new_context(viewport=VIEWPORT, locale="nl-NL") for _ in range(3)]
    admin_context, manager_context, worker_context = contexts
    worker_context.add_init_script(NOTE_CLOSES)
    try:
        admin = login(admin_context, base, "beheer", errors)
        # A team of this test's own, with one worker in it (through the API: the form is below).
        team_name, worker_name = f"Wijkteam {marker}", f"Wendy {marker}"
        team = admin.evaluate(POST, ["/api/admin/teams", {"name": team_name, "department_id": 1}])
        assert team["status"] == 201, team
        worker = admin.evaluate(
            POST,
            [
                "/api/admin/people",
                {
                    "username": f"w{marker}",
                    "name": worker_name,
                    "role": "medewerker",
                    "team_id": team["body"]["team"]["id"],
                    "on_duty": True,
                },
            ],
        )
        assert worker["status"] == 201, worker

        # 1. The Beheer screen: add Eva, manager of that team, its workers hers.
        admin.click("#admin-open")
        expect(admin.locator("#admin-title")).to_be_focused()
        expect(admin.locator("#admin-people li.admin-person").first).to_be_visible(timeout=LIVE)
        admin.click("#admin-person-new")
        form = admin.locator("#admin-person-form")
        expect(admin.locator("#admin-person-form-name")).to_be_focused()
        form.locator("#admin-person-form-name").fill(f"Eva {marker}")
        form.locator("#admin-person-form-username").fill(f"eva{marker}")
        form.locator("#admin-person-form-email").fill(f"eva{marker}@demodorp.example")
        form.locator("#admin-person-form-role").select_option(label="Leidinggevende")
        form.locator("#admin-person-form-manager").select_option(label="Marieke Hendriks")
        form.get_by_label(team_name).check()
        form.locator("#admin-person-form-adopt").check()
        form.locator("button[type=submit]").click()
        expect(admin.locator("#admin-password")).to_be_focused(timeout=LIVE)
        expect(admin.locator("#admin-status")).to_have_text(f"Eva {marker} is toegevoegd.")
        one_time = admin.locator("#admin-password-value").inner_text()
        eva = admin.locator("li.admin-person", has_text=f"eva{marker}")
        expect(eva).to_contain_text("Marieke Hendriks → Jeroen Kramer")
        wendy = admin.locator("li.admin-person", has_text=f"w{marker}")
        expect(wendy).to_contain_text(f"Eva {marker} → Marieke Hendriks")

        # 2. The worker's phone, open; she reports an incident.
        first_login(worker_context, base, f"w{marker}", worker["body"]["one_time_password"])
        phone = worker_context.new_page()
        phone.on("pageerror", lambda exc: errors.append(f"worker: {exc}"))
        phone.goto(base + "/")
        expect(phone.locator('#conn-state[data-state="open"]')).to_be_visible(timeout=LIVE)
        report = phone.evaluate(
            REPORT,
            {
                "client_id": uuid.uuid4().hex,
                "behaviour_type": "D",
                "kinds": ["intimidatie"],
                "channel": "huisbezoek",
                "location": f"Wijkstraat {marker}",
                "occurred_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(),
                "description": "Dreigde me op te wachten",
            },
        )

        # 3. It is in the new manager's Te doen.
        first_login(manager_context, base, f"eva{marker}", one_time)
        manager = manager_context.new_page()
        manager.on("pageerror", lambda exc: errors.append(f"manager: {exc}"))
        manager.goto(base + "/te-doen")
        entry = manager.locator("#todo-list li.todo-entry", has_text=report["number"])
        expect(entry).to_be_visible(timeout=LIVE)

        # 4. The worker leaves: her open phone is closed at once, her next request is 401.
        admin.fill("#admin-search", f"w{marker}")
        wendy.locator("button[data-edit]").click()
        admin.click("#admin-person-form-leave")
        expect(admin.locator("#admin-person-form-confirm-text")).to_be_focused()
        with admin.expect_response(lambda r: r.url.endswith("/deactivate")) as answer:
            admin.click("#admin-person-form-leave-confirmed")
        assert answer.value.status == 200
        phone.wait_for_function("window.__closes.includes(4401)", timeout=1000)
        expect(phone.locator("#login-screen")).to_be_visible(timeout=LIVE)
        assert phone.evaluate(ME) == 401
        expect(admin.locator("#admin-status")).to_contain_text(f"{worker_name} is gedeactiveerd")
        expect(wendy).to_contain_text("(niet actief)")
        assert errors == [], errors
    finally:
        for context in contexts:
            context.close()
