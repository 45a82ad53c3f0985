"""A tapped notification opens the event's screen: every path the server links to is a screen
the PWA's router knows (pwa/js/routes.js, run in Node), with the right record."""

import json
import subprocess
from pathlib import Path

import pytest

from services.events.links import screen_link

ROUTES = Path(__file__).resolve().parents[2] / "pwa" / "js" / "routes.js"

CASES = [
    ("alarm.raised", {"alarm": {"id": 7}}, {"screen": "home", "params": {"alarm": 7}}),
    ("incident.reported", {"incident": {"id": 17}}, {"screen": "gir", "params": {"id": 17}}),
    (
        "followup.reminder",
        {"incident_id": 17, "step": "aftercare"},
        {"screen": "gir", "params": {"id": 17}},
    ),
    ("visit.override_requested", {"visit": {"id": 3}}, {"screen": "team"}),
    ("visit.prompt", {"visit": {"id": 3}}, {"screen": "visit", "params": {"id": 3}}),
    ("visit.overdue", {"visit": {"id": 3}, "step": 1}, {"screen": "home"}),
    ("message.sent", {"message": {"id": 1}}, {"screen": "home"}),
]


def parsed_by_the_pwa(paths: list[str]) -> list[dict | None]:
    script = (
        f"import {{ parse }} from {json.dumps(ROUTES.as_uri())};"
        "const paths = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(paths.map((p) => { const u = new URL(p, 'http://x');"
        " return parse(u.pathname, u.search); })));"
    )
    run = subprocess.run(
        ["node", "--input-type=module", "-e", script, json.dumps(paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


@pytest.mark.parametrize(("event_type", "data", "expected"), CASES)
def test_every_link_of_a_notification_is_a_screen_of_the_app(event_type, data, expected):
    (route,) = parsed_by_the_pwa([screen_link(event_type, data)])
    assert route is not None, screen_link(event_type, data)
    assert route["screen"] == expected["screen"]
    for key, value in expected.get("params", {}).items():
        assert route["params"][key] == value
