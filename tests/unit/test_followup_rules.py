"""Rules mended in review: who is told of an incident against a manager, who may take
'ernstig' away, aftercare following a corrected time, need-to-know in the recidive advice,
measure dates, and a ban's period kept in the AIR only."""

from datetime import date, datetime, timedelta

import pytest

from services.errors import Conflict, Invalid, NotAllowed
from services.followup import reaction
from services.followup.closing import closing_blockers
from services.followup.views import followup_json
from services.incidents import service as incidents
from services.incidents.access import viewer_of
from services.incidents.models import Incident
from services.register.changes import end_measure
from tests.unit.test_incidents import CET, report


def capture(db, events, clock, ids, who, n, **overrides) -> int:
    with db.uow() as uow:
        incident, _ = incidents.report_incident(
            uow,
            events,
            clock,
            viewer=viewer_of(uow.session, ids[who]),
            report=report(
                **{
                    "aggressor": {"name": "P. Verhoeven", "address": "Beukenlaan 9"},
                    **overrides,
                    "client_id": f"rules-test-{n:04}",
                }
            ),
        )
        return incident.id


def patch(db, events, clock, ids, who, incident_id, changes):
    with db.uow() as uow:
        version = uow.session.get(Incident, incident_id).version
        return incidents.update_incident(
            uow,
            events,
            clock,
            viewer=viewer_of(uow.session, ids[who]),
            incident_id=incident_id,
            version=version,
            changes=changes,
            closing_blockers=closing_blockers,
        )


def view(db, clock, ids, who, incident_id) -> dict:
    with db.reader() as uow:
        return followup_json(
            uow.session,
            clock.now(),
            viewer=viewer_of(uow.session, ids[who]),
            incident=uow.session.get(Incident, incident_id),
        )


def test_an_incident_against_a_manager_reaches_their_manager(db, events, clock, ids, broker):
    capture(db, events, clock, ids, "lisa", 1)
    [told] = broker.of_type("incident.reported")
    assert told.audience == frozenset({f"user:{ids['gemeentesecretaris']}"})


def test_only_managers_take_ernstig_away(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, "sanne", 1)
    patch(db, events, clock, ids, "lisa", incident_id, {"serious_criteria": ["ziekenhuisopname"]})
    with pytest.raises(NotAllowed):
        patch(db, events, clock, ids, "sanne", incident_id, {"serious_criteria": []})
    patch(
        db,
        events,
        clock,
        ids,
        "sanne",
        incident_id,  # adding is the reporter's right
        {"serious_criteria": ["ziekenhuisopname", "ernstig_letsel"]},
    )
    patch(db, events, clock, ids, "lisa", incident_id, {"serious_criteria": []})
    assert view(db, clock, ids, "lisa", incident_id)["inspectorate"]["required"] is False


def test_aftercare_moves_with_a_corrected_incident_time(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, "sanne", 1)
    patch(
        db,
        events,
        clock,
        ids,
        "sanne",
        incident_id,
        {"occurred_at": datetime(2026, 11, 9, 10, 0, tzinfo=CET)},
    )
    steps = {s["step"]: s for s in view(db, clock, ids, "lisa", incident_id)["aftercare"]}
    assert steps["first_talk"]["due_at"] == "2026-11-09T22:59:00Z"
    assert steps["first_talk"]["overdue"] is True
    assert steps["evaluation"]["due_at"] == "2026-12-07T22:59:00Z"


def test_recidive_counts_all_earlier_incidents_but_names_only_visible_ones(db, events, clock, ids):
    at = datetime(2026, 11, 20, 10, 0, tzinfo=CET)
    kim = capture(db, events, clock, ids, "kim", 1, occurred_at=at)  # Handhaving: not Lisa's
    sanne = capture(db, events, clock, ids, "sanne", 2, occurred_at=at + timedelta(days=1))
    mine = view(db, clock, ids, "lisa", sanne)["advice"]
    assert mine["level"] == 2 and mine["earlier"] == []
    assert mine["reason"] == (
        "Tweede keer persoonlijke bedreiging (D) van deze persoon sinds 20-11-2026."
    )
    everything = view(db, clock, ids, "coordinator", sanne)["advice"]
    assert [e["id"] for e in everything["earlier"]] == [kim]
    assert everything["reason"].endswith(f"(GIR-{kim}).")


@pytest.mark.parametrize(
    "kind,decided,starts,ends,field",
    [
        ("pandverbod", date(2026, 11, 25), date(2026, 11, 25), date(2027, 1, 1), "decided_on"),
        ("pandverbod", date(2026, 11, 24), date(2026, 11, 23), date(2027, 1, 1), "starts_on"),
        ("pandverbod", date(2026, 11, 24), date(2028, 1, 1), date(2028, 2, 1), "starts_on"),
        (
            "waarschuwingsbrief",
            date(2026, 11, 24),
            date(2026, 11, 24),
            date(2099, 1, 1),
            "starts_on",
        ),
        ("ordegesprek", date(2020, 1, 1), None, None, "decided_on"),
    ],
)
def test_measure_dates_must_make_sense(db, events, clock, ids, kind, decided, starts, ends, field):
    incident_id = capture(db, events, clock, ids, "sanne", 1)
    with db.uow() as uow, pytest.raises(Invalid) as refused:
        reaction.issue_measure(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            incident_id=incident_id,
            kind=kind,
            decided_on=decided,
            starts_on=starts,
            ends_on=ends,
            note="",
        )
    assert field in refused.value.fields
    assert view(db, clock, ids, "lisa", incident_id)["measures"] == []


def test_a_ban_needs_an_address_or_client_reference(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, "sanne", 1, aggressor={"name": "Alleen Naam"})
    with db.uow() as uow, pytest.raises(Invalid):
        reaction.issue_measure(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            incident_id=incident_id,
            kind="pandverbod",
            decided_on=date(2026, 11, 24),
            starts_on=date(2026, 11, 24),
            ends_on=date(2027, 2, 24),
            note="",
        )


def test_a_bans_period_is_the_airs_and_an_ended_one_stays_ended(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, "sanne", 1)
    with db.uow() as uow:
        measure = reaction.issue_measure(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            incident_id=incident_id,
            kind="pandverbod",
            decided_on=date(2026, 11, 24),
            starts_on=date(2026, 11, 24),
            ends_on=date(2027, 2, 24),
            note="",
        )
        air_id = measure.air_measure.id
    with db.uow() as uow:  # ended early in the register itself: from today it no longer holds
        end_measure(uow.session, clock, user_id=ids["lisa"], measure_id=air_id, reason="Verhuisd")
    assert view(db, clock, ids, "lisa", incident_id)["measures"][0]["ends_on"] == "2026-11-23"
    clock.advance(days=2)
    with db.uow() as uow, pytest.raises(Conflict):  # ending it again would have revived it
        end_measure(uow.session, clock, user_id=ids["lisa"], measure_id=air_id, reason="Weer")
