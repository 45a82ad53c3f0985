"""What a visit tells other packages, as messages on the bus (events/bus.py): alarms
subscribe. A visit never calls alarms itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OkUnderDuress:
    """ "Alles goed" was confirmed with the duress PIN: the phone is answered as after the real
    PIN, and a silent alarm must follow."""

    visit_id: int
    worker_id: int
    alarm_client_id: str  # tied to the visit's cycle, so a retried answer raises one alarm
