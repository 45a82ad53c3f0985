"""What the floor and the peer servers send: a message of the size and shape of Veldwacht's
`alarm.raised` event (about 600 bytes as JSON), so every server writes the same bytes."""

from __future__ import annotations

import json

READY = json.dumps({"type": "ready", "last_id": 0})


def alarm_message(alarm_id: int) -> dict:
    return {
        "type": "event",
        "event": {
            "id": alarm_id,
            "type": "alarm.raised",
            "created_at": "2026-12-01T21:00:00+00:00",
            "urgent": True,
            "title": "ALARM: Bench 25",
            "body": "Onbekende locatie",
            "data": {
                "alarm": {
                    "id": alarm_id,
                    "client_id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                    "state": "open",
                    "test": False,
                    "duress": False,
                    "raised_at": "2026-12-01T21:00:00+00:00",
                    "closed_at": None,
                    "outcome": None,
                    "outcome_label": None,
                    "worker": {
                        "id": 2025,
                        "name": "Bench 25",
                        "phone": None,
                        "team": {"id": 77, "name": "small-76"},
                    },
                    "visit": None,
                    "place": "Onbekende locatie",
                    "position": None,
                    "position_status": "unknown",
                    "position_status_label": "Positie nog niet bekend",
                    "navigation": None,
                    "pin_failures": 0,
                    "pin_locked": False,
                    "acknowledgements": [],
                    "escalation_step": 1,
                }
            },
        },
    }


def alarm_message_json(alarm_id: int) -> str:
    return json.dumps(alarm_message(alarm_id), ensure_ascii=False)
