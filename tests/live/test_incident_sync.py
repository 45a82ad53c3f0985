"""Exactly once under real concurrency: one report arriving many times at once — retries,
the service worker racing the page, two phones of the same person — on the real server."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta


def test_one_report_posted_concurrently_from_two_devices_is_one_incident(live_server):
    devices = [live_server.session("anouk"), live_server.session("anouk")]
    client_id, marker = str(uuid.uuid4()), f"gelijktijdig {uuid.uuid4().hex[:8]}"
    report = {
        "client_id": client_id,
        "behaviour_type": "C",
        "kinds": ["verbaal"],
        "channel": "telefoon",
        "description": marker,
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=3)).isoformat(),
    }

    def post(n: int):
        response = devices[n % 2].post(live_server.url + "/api/incidents", json=report, timeout=30)
        return response.status_code, response.json()["incident"]["id"]

    def anouks_reports() -> int:
        return devices[0].get(live_server.url + "/api/incidents").json()["total"]

    before = anouks_reports()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(post, range(32)))
    assert sorted(code for code, _ in answers) == [200] * 31 + [201]
    assert len({incident_id for _, incident_id in answers}) == 1
    assert anouks_reports() == before + 1
    stored = devices[1].get(f"{live_server.url}/api/incidents/{answers[0][1]}").json()
    assert stored["incident"]["description"] == marker
