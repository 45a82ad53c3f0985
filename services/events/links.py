"""Which screen of the app an event opens when its notification is tapped: the PWA's paths
(pwa/js/routes.js reads them; tests/api/test_links.py keeps the two in step). An event for
the people on a visit opens that visit; one for those who look after it opens home, where
the alert and its answers are."""

from __future__ import annotations

HOME = "/"

# Events the worker on the visit (and a colleague going along) receives about that visit.
OWN_VISIT = {"visit.prompt", "visit.reminder", "visit.override_decided"}


def screen_link(event_type: str, data: dict) -> str:
    """The path of the screen for an event, home when it has none of its own."""
    if alarm := data.get("alarm"):
        return f"/alarm/{alarm['id']}"
    incident_id = data.get("incident_id") or (data.get("incident") or {}).get("id")
    if incident_id:
        return f"/gir/{incident_id}"
    if event_type == "visit.override_requested":
        return "/team"  # the manager decides there
    visit = data.get("visit")
    if visit and event_type in OWN_VISIT:
        return f"/bezoek/{visit['id']}"
    return HOME
