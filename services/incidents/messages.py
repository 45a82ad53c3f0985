"""What the incident register tells other packages, as messages on the bus (events/bus.py):
follow-up subscribes. Not the notifications people get; those are events in events/log.py."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IncidentReported:
    incident_id: int


@dataclass(frozen=True)
class IncidentTimeCorrected:
    """The incident's `occurred_at` was changed."""

    incident_id: int


@dataclass(frozen=True)
class IncidentMarkedSerious:
    """The incident meets a serious criterion now and did not before (Inspectie SZW)."""

    incident_id: int
