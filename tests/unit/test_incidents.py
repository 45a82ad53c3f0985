"""The incident register's rules with a fake clock on a real SQLite file: exactly once,
need-to-know, history with a version check, filters, the read log and the export."""

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from services.accounts.models import Role
from services.audit.models import AuditEntry
from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.followup.closing import closing_blockers
from services.followup.reaction import issue_measure
from services.followup.service import (
    record_inspectorate,
    record_police,
    record_written_inspectorate,
)
from services.followup.views import todo_list
from services.incidents import service
from services.incidents.access import viewer_of
from services.incidents.export import incidents_csv
from services.incidents.form import QUESTIONS, open_questions, seven_ws
from services.incidents.models import Incident
from services.incidents.service import RegisterFilter

CET = timezone(timedelta(hours=1))


def report(**overrides) -> dict:
    return {
        "client_id": "c0ffee00-0000-4000-8000-000000000001",
        "behaviour_type": "D",
        "kinds": ["intimidatie"],
        "channel": "huisbezoek",
        "occurred_at": datetime(2026, 11, 24, 9, 40, tzinfo=CET),
        "location": "Kerkstraat 7",
        "description": "Dreigde me buiten op te wachten.",
        "alarm_id": None,
        "visit_id": None,
        "victim_id": None,
        "aggressor": None,
        **overrides,
    }


def submit(db, events, clock, ids, who, **overrides):
    with db.uow() as uow:
        incident, created = service.report_incident(
            uow, events, clock, viewer=viewer_of(uow.session, ids[who]), report=report(**overrides)
        )
        return incident.id, created


def visible(db, ids, who, **filters) -> list[int]:
    with db.reader() as uow:
        rows, total, _ = service.list_incidents(
            uow.session,
            viewer=viewer_of(uow.session, ids[who]),
            filters=RegisterFilter(**filters),
            limit=200,
            before=None,
        )
        assert total == len(rows)
        return sorted(i.id for i in rows)


def count(db) -> int:
    with db.reader() as uow:
        return uow.session.scalar(select(func.count()).select_from(Incident))


def update(db, events, clock, ids, who, incident_id, version, changes):
    with db.uow() as uow:
        incident = service.update_incident(
            uow,
            events,
            clock,
            viewer=viewer_of(uow.session, ids[who]),
            incident_id=incident_id,
            version=version,
            changes=changes,
            closing_blockers=closing_blockers,
        )
        return incident.version


# ---- exactly once -----------------------------------------------------------------------------


def test_the_same_report_sent_twice_is_one_incident(db, events, clock, ids, broker):
    first = submit(db, events, clock, ids, "sanne")
    again = submit(db, events, clock, ids, "sanne")
    assert first == (first[0], True) and again == (first[0], False)
    assert count(db) == 1
    assert len(broker.of_type("incident.reported")) == 1  # managers are told once


def test_someone_elses_client_id_is_a_conflict_not_their_report(db, events, clock, ids):
    submit(db, events, clock, ids, "sanne")
    with pytest.raises(Conflict):
        submit(db, events, clock, ids, "kim")
    assert count(db) == 1


@pytest.mark.parametrize(
    "moment,ok",
    [
        (datetime(2026, 11, 24, 9, 4, tzinfo=UTC), True),  # a phone 4 min ahead
        (datetime(2026, 11, 24, 9, 6, tzinfo=UTC), False),  # the future
        (datetime(2021, 6, 1, 9, 0, tzinfo=UTC), False),  # over five years ago
    ],
)
def test_when_it_happened_must_be_believable(db, events, clock, ids, moment, ok):
    if ok:
        submit(db, events, clock, ids, "sanne", occurred_at=moment)
    else:
        with pytest.raises(Invalid) as refused:
            submit(db, events, clock, ids, "sanne", occurred_at=moment)
        assert "occurred_at" in refused.value.fields
    assert count(db) == int(ok)


def test_links_must_be_the_reporters_own_alarm_or_visit(db, events, clock, ids):
    from services.alarms.service import raise_alarm

    with db.uow() as uow:
        alarm, _ = raise_alarm(
            uow, events, clock, worker_id=ids["kim"], client_id="alarm-of-kim-01"
        )
        alarm_id = alarm.id
    with pytest.raises(Invalid) as refused:
        submit(db, events, clock, ids, "sanne", alarm_id=alarm_id)
    assert "alarm_id" in refused.value.fields
    with pytest.raises(Invalid):
        submit(db, events, clock, ids, "sanne", visit_id=424242)
    assert submit(db, events, clock, ids, "kim", alarm_id=alarm_id)[1] is True


def test_a_manager_may_report_for_their_team_a_worker_only_for_themselves(db, events, clock, ids):
    incident_id, _ = submit(db, events, clock, ids, "lisa", victim_id=ids["sanne"])
    assert incident_id in visible(db, ids, "sanne")
    for who, victim in (("mohammed", "sanne"), ("lisa", "kim")):
        with pytest.raises(Invalid):
            submit(
                db,
                events,
                clock,
                ids,
                who,
                client_id=f"for-{victim}-by-{who}",
                victim_id=ids[victim],
            )


# ---- who sees what ----------------------------------------------------------------------------


def test_each_role_sees_what_it_needs(db, events, clock, ids):
    sanne = submit(db, events, clock, ids, "sanne", client_id="report-of-sanne")[0]
    kim = submit(db, events, clock, ids, "kim", client_id="report-of-kimmm")[0]
    lisa = submit(db, events, clock, ids, "lisa", client_id="report-of-lisa1")[0]
    assert visible(db, ids, "sanne") == [sanne]
    assert visible(db, ids, "mohammed") == []  # a colleague: not need-to-know
    assert visible(db, ids, "lisa") == [sanne, lisa]  # her team, and her own report
    assert visible(db, ids, "peter") == [kim]
    assert visible(db, ids, "coordinator") == [sanne, kim, lisa]
    assert visible(db, ids, "beheer") == []
    with db.reader() as uow:
        lisa_viewer = viewer_of(uow.session, ids["lisa"])
        own = uow.session.get(Incident, lisa)
        # Lisa is the victim: the follow-up is not hers to handle (§5).
        assert lisa_viewer.sees(own) and not lisa_viewer.manages(own)
        assert viewer_of(uow.session, ids["coordinator"]).manages(own)
        assert viewer_of(uow.session, ids["gemeentesecretaris"]).manages(own)  # her manager


def test_aggressor_details_reads_are_logged_for_managers_only(db, events, clock, ids):
    with_details = submit(
        db,
        events,
        clock,
        ids,
        "sanne",
        client_id="with-aggressor",
        aggressor={"name": "J. Jansen", "address": "Molenweg 3"},
    )[0]
    without = submit(db, events, clock, ids, "sanne", client_id="without-aggressor")[0]
    for who in ("sanne", "lisa", "coordinator"):
        for incident_id in (with_details, without):
            with db.uow() as uow:
                service.read_incident(uow, clock, viewer_of(uow.session, ids[who]), incident_id)
    with db.reader() as uow:
        logged = [
            (r.subject_id, r.actor_id, r.purpose)
            for r in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert logged == [
        (with_details, ids["lisa"], "detail"),
        (with_details, ids["coordinator"], "detail"),
    ]
    with db.uow() as uow:
        with pytest.raises(NotFound):
            service.read_incident(uow, clock, viewer_of(uow.session, ids["kim"]), with_details)
        with pytest.raises(NotAllowed):
            service.reads_of(uow.session, viewer_of(uow.session, ids["lisa"]), with_details)


def test_a_managers_save_answers_with_aggressor_details_and_is_logged(db, events, clock, ids):
    incident_id = submit(db, events, clock, ids, "sanne", aggressor={"name": "J. Jansen"})[0]
    version = update(db, events, clock, ids, "sanne", incident_id, 1, {"location": "Dorpsplein"})
    version = update(db, events, clock, ids, "lisa", incident_id, version, {"location": "Markt"})
    update(db, events, clock, ids, "lisa", incident_id, version, {"location": "Markt"})  # same
    with db.reader() as uow:
        logged = [
            (r.actor_id, r.purpose)
            for r in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert logged == [(ids["lisa"], "detail"), (ids["lisa"], "detail")]


# ---- completion, history, version check --------------------------------------------------------


def test_a_stale_edit_is_refused_and_changes_nothing(db, events, clock, ids):
    incident_id, _ = submit(db, events, clock, ids, "sanne")
    v2 = update(db, events, clock, ids, "lisa", incident_id, 1, {"form": {"cause": "Uitkering"}})
    assert v2 == 2
    with pytest.raises(Conflict):
        update(db, events, clock, ids, "sanne", incident_id, 1, {"form": {"cause": "Anders"}})
    with db.uow() as uow:
        incident, history = service.read_incident(
            uow, clock, viewer_of(uow.session, ids["sanne"]), incident_id
        )
        assert incident.form == {"cause": "Uitkering"} and incident.version == 2
        assert [(h.action, h.user_id, h.changes) for h in history] == [
            ("gemeld", ids["sanne"], []),
            ("gewijzigd", ids["lisa"], [{"field": "form.cause", "old": None, "new": "Uitkering"}]),
        ]


def test_saving_the_same_values_makes_no_version_and_no_history(db, events, clock, ids, broker):
    incident_id, _ = submit(db, events, clock, ids, "sanne")
    assert (
        update(
            db, events, clock, ids, "sanne", incident_id, 1, {"channel": "huisbezoek", "form": {}}
        )
        == 1
    )
    with db.uow() as uow:
        incident, history = service.read_incident(
            uow, clock, viewer_of(uow.session, ids["sanne"]), incident_id
        )
        assert incident.version == 1
        assert [h.action for h in history] == ["gemeld"]
    assert broker.of_type("incident.updated") == []


def test_workers_complete_their_reports_but_managers_decide_the_status(db, events, clock, ids):
    incident_id, _ = submit(db, events, clock, ids, "sanne")
    with pytest.raises(NotAllowed):
        update(db, events, clock, ids, "sanne", incident_id, 1, {"status": "afgehandeld"})
    update(
        db,
        events,
        clock,
        ids,
        "sanne",
        incident_id,
        1,
        {"serious_criteria": ["ziekenhuisopname"], "aggressor": {"name": "J. Jansen"}},
    )

    def version() -> int:
        with db.reader() as uow:
            return uow.session.get(Incident, incident_id).version

    def refused_for() -> str:
        with pytest.raises(Invalid) as refused:
            update(
                db, events, clock, ids, "lisa", incident_id, version(), {"status": "afgehandeld"}
            )
        assert refused.value.fields == {"status": "open punten"}
        assert visible(db, ids, "lisa", status="gemeld") == [incident_id]  # nothing changed
        return refused.value.message

    # §9's two reports, the reaction to the aggressor and the police step, each named
    assert refused_for() == (
        "Nog niet af te handelen: eerst de telefonische melding bij de Inspectie SZW, de "
        "schriftelijke melding bij de Inspectie SZW, een besluit over de reactie naar de "
        "agressor (een maatregel, of 'geen maatregel' met de reden) en een besluit over "
        "aangifte of melding bij de politie."
    )
    with db.uow() as uow:
        viewer = viewer_of(uow.session, ids["lisa"])
        record_inspectorate(
            uow,
            clock,
            viewer=viewer,
            incident_id=incident_id,
            reported_at=clock.now(),
            reference="SZW-1",
        )
        record_police(
            uow,
            clock,
            viewer=viewer,
            incident_id=incident_id,
            kind="afgezien",
            on=clock.now().date(),
            reference="",
            domicile=False,
            reason="Medewerker ziet af van aangifte",
        )
    message = refused_for()  # the phone report and the police done; the rest still open
    assert "telefonische" not in message and "politie" not in message
    assert "schriftelijke melding" in message and "reactie naar de agressor" in message
    with db.uow() as uow:
        issue_measure(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            incident_id=incident_id,
            kind="geen_maatregel",
            decided_on=clock.now().date(),
            starts_on=None,
            ends_on=None,
            note="Dader onbekend: geen adres",
        )
    assert refused_for() == (
        "Nog niet af te handelen: eerst de schriftelijke melding bij de Inspectie SZW."
    )
    clock.advance(days=2)
    with db.uow() as uow:
        record_written_inspectorate(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            incident_id=incident_id,
            reported_at=clock.now(),
            reference="SZW-1-web",
        )
    v = update(db, events, clock, ids, "lisa", incident_id, version(), {"status": "afgehandeld"})
    with db.reader() as uow:  # closed in the register; the victim's aftercare goes on
        [todo] = todo_list(uow.session, clock.now(), viewer_of(uow.session, ids["lisa"]))
    assert [item["kind"] for item in todo["items"]] == ["aftercare"]
    with pytest.raises(NotAllowed):  # closed: only the follow-up side changes it now
        update(db, events, clock, ids, "sanne", incident_id, v, {"location": "Elders"})
    assert visible(db, ids, "lisa", serious=True) == [incident_id]
    with pytest.raises(NotFound):
        update(db, events, clock, ids, "peter", incident_id, v, {"location": "Elders"})


def test_no_measure_needs_its_reason(db, events, clock, ids):
    incident_id, _ = submit(db, events, clock, ids, "sanne")
    with db.uow() as uow, pytest.raises(Invalid) as refused:
        issue_measure(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            incident_id=incident_id,
            kind="geen_maatregel",
            decided_on=clock.now().date(),
            starts_on=None,
            ends_on=None,
            note="  ",
        )
    assert refused.value.fields == {"note": "verplicht"}


# ---- the register's filters -----------------------------------------------------------------


def test_filters_by_kind_combination_period_and_type(db, events, clock, ids):
    late = datetime(2026, 11, 23, 23, 30, tzinfo=CET)  # still the 23rd in Demodorp
    one = submit(
        db,
        events,
        clock,
        ids,
        "sanne",
        client_id="kind-verbaal-1",
        kinds=["verbaal"],
        behaviour_type="C",
        occurred_at=late,
    )[0]
    two = submit(
        db,
        events,
        clock,
        ids,
        "sanne",
        client_id="kind-combi-002",
        kinds=["verbaal", "fysiek_persoon"],
        behaviour_type="E",
    )[0]
    assert visible(db, ids, "lisa", kind="verbaal") == [one, two]
    assert visible(db, ids, "lisa", kind="combinatie") == [two]
    assert visible(db, ids, "lisa", kind="fysiek_zaak") == []
    assert visible(db, ids, "lisa", behaviour_type="C") == [one]
    day = late.date()
    assert visible(db, ids, "lisa", date_from=day, date_to=day) == [one]
    assert visible(db, ids, "lisa", date_from=day + timedelta(days=1)) == [two]


def test_pages_follow_each_other_without_gaps(db, events, clock, ids):
    made = [
        submit(db, events, clock, ids, "sanne", client_id=f"paging-report-{n:02}")[0]
        for n in range(5)
    ]
    seen, before = [], None
    with db.reader() as uow:
        viewer = viewer_of(uow.session, ids["lisa"])
        while True:
            rows, total, before = service.list_incidents(
                uow.session, viewer=viewer, filters=RegisterFilter(), limit=2, before=before
            )
            seen += [i.id for i in rows]
            assert total == 5
            if before is None:
                break
    assert seen == sorted(made, reverse=True)


# ---- annex 8 and the seven W's --------------------------------------------------------------


def test_follow_up_questions_open_only_after_a_yes():
    base = {q.field: False for q in QUESTIONS if q.kind == "yes_no" and q.follow_up_of is None} | {
        "cause": "x",
        "course": "y",
        "further_action_text": "geen",
    }
    assert open_questions(base) == []
    assert open_questions(base | {"injury": True}) == ["injury_description", "doctor_report"]
    assert open_questions(base | {"weapons": None}) == ["weapons"]


def test_the_seven_ws_follow_the_report():
    quick = dict(
        aggressor_named=False,
        form={},
        description="Schold",
        kinds=["verbaal"],
        location="",
        channel="telefoon",
        occurred_at=1,
    )
    assert [w for w, done in seven_ws(**quick).items() if done] == ["wat", "waar", "wanneer"]
    full = quick | {
        "aggressor_named": True,
        "form": {"cause": "c", "course": "o", "weapons": True, "weapons_description": "mes"},
    }
    assert all(seven_ws(**full).values())
    assert not seven_ws(**quick | {"channel": "huisbezoek"})["waar"]


# ---- export -----------------------------------------------------------------------------------


def test_export_neutralises_formulas_and_keeps_aggressors_need_to_know(db, events, clock, ids):
    submit(
        db,
        events,
        clock,
        ids,
        "sanne",
        description='=HYPERLINK("http://x")',
        aggressor={"name": "J. Jansen"},
    )
    for who in ("lisa", "coordinator"):
        with db.uow() as uow:
            viewer = viewer_of(uow.session, ids[who])
            rows = service.incidents_for_export(uow, clock, viewer, RegisterFilter())
            text = incidents_csv(rows, with_aggressor=viewer.sees_aggressor)  # as the route
        assert text.startswith("\ufeff")
        table = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        assert table[0][-1] == "Adres agressor" and table[1][-2] == "J. Jansen"
        assert table[1][table[0].index("Omschrijving")] == '\'=HYPERLINK("http://x")'
    with db.uow() as uow:
        with pytest.raises(NotAllowed):
            service.incidents_for_export(
                uow, clock, viewer_of(uow.session, ids["sanne"]), RegisterFilter()
            )
        purposes = list(uow.session.scalars(select(AuditEntry.purpose)))
    assert purposes == ["export", "export"]
    # The invariant the route relies on: every role allowed to export sees aggressors, so an
    # export never silently drops the aggressor columns.
    one_per_role = {
        "medewerker": "sanne",
        "leidinggevende": "lisa",
        "coordinator": "coordinator",
        "beheerder": "beheer",
    }
    assert set(one_per_role) == {str(role) for role in Role}
    may_export = set()
    for role, who in one_per_role.items():
        with db.uow() as uow:
            viewer = viewer_of(uow.session, ids[who])
            assert str(viewer.user.role) == role
            try:
                service.incidents_for_export(uow, clock, viewer, RegisterFilter())
            except NotAllowed:
                continue
            may_export.add(role)
            assert viewer.sees_aggressor, role
    assert may_export == {"leidinggevende", "coordinator"}


def test_managers_of_the_team_are_told_not_the_team(db, events, clock, ids, broker):
    submit(db, events, clock, ids, "sanne")
    [told] = broker.of_type("incident.reported")
    assert told.audience == frozenset({f"user:{ids['lisa']}"})
    assert "description" not in told.message["data"]["incident"]


def test_the_demo_register_has_reports_for_each_team(db, clock, ids):
    from services.demo import DEMO_INCIDENTS, seed_demo_incidents

    with db.uow() as uow:
        seed_demo_incidents(uow.session, clock.now())
    assert len(visible(db, ids, "coordinator")) == len(DEMO_INCIDENTS)
    assert len(visible(db, ids, "lisa")) == len(visible(db, ids, "peter")) == 1
