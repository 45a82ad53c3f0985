"""Every figure of the report on a register of known content (report_register.py), per role's
scope, beside the previous period, and the register list each figure opens."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from services.incidents.access import viewer_of
from services.incidents.service import list_incidents
from services.reports import build_report
from services.reports.drill import figure_clauses
from services.reports.export import annual_count, report_csv
from services.reports.periods import quarter, year
from services.reports.query import ReportQuery
from tests.conftest import user_by_name
from tests.unit import report_register
from tests.unit.report_register import NOW

Q4 = quarter(2026, 4)


@pytest.fixture
def register(db):
    with db.uow() as uow:
        return report_register.build(uow.session)


def report_for(db, user_id: int, query: ReportQuery) -> dict:
    with db.reader() as uow:
        return build_report(
            uow.session, viewer=viewer_of(uow.session, user_id), query=query, now=NOW
        )


def coordinator(db) -> int:
    with db.reader() as uow:
        return user_by_name(uow.session, "coordinator").id


def figures(report: dict) -> dict[tuple[str, str], tuple]:
    """(table, row) -> (value, previous) for every figure row of the report."""
    return {
        (t["key"], r["key"]): (r["value"], r["previous"])
        for s in report["sections"]
        for t in s["tables"]
        if t["chart"] != "matrix"
        for r in t["rows"]
    }


def table(report: dict, key: str) -> dict:
    return next(t for s in report["sections"] for t in s["tables"] if t["key"] == key)


EXPECTED_COORDINATOR = {
    ("total", "all"): (4, 2),
    **{
        ("behaviour", k): v
        for k, v in {"A": (1, 0), "B": (1, 0), "C": (0, 1), "D": (1, 1), "E": (1, 0)}.items()
    },
    ("kind", "verbaal"): (3, 0),
    ("kind", "intimidatie"): (1, 1),
    ("kind", "discriminatie"): (0, 1),
    ("kind", "fysiek_persoon"): (1, 0),
    ("kind", "fysiek_zaak"): (0, 0),
    ("kind", "combinatie"): (1, 0),
    ("channel", "huisbezoek"): (1, 1),
    ("channel", "openbare_ruimte"): (1, 0),
    ("channel", "telefoon"): (1, 0),
    ("channel", "gemeentelijk_gebouw"): (1, 0),
    ("channel", "social_media"): (0, 1),
    ("place", "ter_plaatse"): (3, 1),
    ("place", "op_afstand"): (1, 1),
    ("consequence", "injury"): (1, 0),
    ("consequence", "absence"): (1, 0),
    ("consequence", "damage"): (1, 0),
    ("consequence", "weapons"): (0, 0),
    ("consequence", "serious"): (1, 0),
    ("consequence_totals", "absence_days"): (5, 0),
    ("consequence_totals", "damage_euros"): (251, 0),
    ("reporting", "within_24h"): (3, 2),
    ("reporting", "after_24h"): (1, 0),
    ("reporting", "szw_on_time"): (1, 0),
    ("reporting", "szw_late"): (0, 0),
    ("reporting", "szw_missing"): (0, 0),
    ("status", "gemeld"): (3, 2),
    ("status", "afgehandeld"): (1, 0),
    ("aftercare", "on_time"): (1, 0),
    ("aftercare", "overdue"): (1, 0),
    ("aftercare", "late"): (0, 0),
    ("measure", "pandverbod"): (1, 0),
    ("measure", "ordegesprek"): (1, 0),
    ("measure", "geen_maatregel"): (0, 0),
    ("ban", "active"): (1, 0),
    ("ban", "breached"): (1, 0),
    ("repeat", "people"): (2, 0),
    ("repeat", "across_teams"): (1, 0),
    ("repeat", "incidents"): (3, 0),
    ("repeat", "recidive"): (1, 0),
    ("police", "aangifte"): (1, 0),
    ("police", "melding"): (1, 0),
    ("police", "afgezien"): (1, 0),
    ("cause", "technisch"): (1, 0),
    ("cause", "burger"): (1, 0),
    ("cause", "organisatorisch"): (0, 0),
    ("action", "overdue"): (1, 0),
    ("action", "none"): (1, 0),
    ("action", "done"): (0, 0),
    ("alarms", "count"): (3, 1),
    ("alarms", "tests"): (1, 0),
    ("alarms", "duress"): (1, 0),
    ("alarms", "escalated"): (2, 0),
    ("alarms", "unacknowledged"): (1, 0),
    ("alarms", "ack_median_s"): (85, 30),
    ("alarms", "ack_worst_s"): (125, 30),
    ("alarm_outcomes", "false_alarm"): (1, 1),
    ("alarm_outcomes", "police_called"): (1, 0),
    ("alarm_outcomes", "resolved_with_help"): (1, 0),
    ("visits", "overdue"): (2, 0),
    ("visits", "alerted"): (1, 0),
    ("visits", "stand_down_median_s"): (7.5, None),
    ("visits", "stand_down_worst_s"): (12.0, None),
}


def test_every_figure_of_the_coordinators_quarter_report(db, register):
    report = report_for(db, coordinator(db), ReportQuery(period=Q4))
    assert report["period"]["label"] == "4e kwartaal 2026"
    assert report["previous"]["label"] == "3e kwartaal 2026"
    found = figures(report)
    wrong = {k: (found.get(k), v) for k, v in EXPECTED_COORDINATOR.items() if found.get(k) != v}
    assert not wrong
    teams = {r["label"]: (r["value"], r["previous"]) for r in table(report, "team")["rows"]}
    assert teams == {"Noord A": (2, 1), "Noord B": (1, 0), "Zuid C": (1, 1)}
    departments = {r["label"]: r["value"] for r in table(report, "department")["rows"]}
    assert departments == {"Rapport Noord": 3, "Rapport Zuid": 1}
    groups = {r["key"]: r["value"] for r in table(report, "function_group")["rows"]}
    assert groups == {"boa": 2, "sociaal_domein": 1, "beheer_onderhoud": 1}
    assert found[("total", "all")] == (4, 2)
    assert table(report, "total")["rows"][0]["change"] == 2


def test_share_of_a_handful_stays_a_count(db, register):
    row = next(
        r
        for r in table(report_for(db, coordinator(db), ReportQuery(period=Q4)), "reporting")["rows"]
        if r["key"] == "within_24h"
    )
    assert (row["value"], row["of"], row["percent"]) == (3, 4, None)


def test_day_of_week_and_hour_in_local_time(db, register):
    matrix = table(report_for(db, coordinator(db), ReportQuery(period=Q4)), "weekday_hour")
    cells = {
        (r["label"], hour): n for r in matrix["rows"] for hour, n in enumerate(r["values"]) if n
    }
    # 10:30 on 5 October is CEST, 14:00 on 10 November CET: both as the clock on the wall said
    assert cells == {("maandag", 10): 1, ("dinsdag", 14): 1, ("vrijdag", 9): 1, ("dinsdag", 16): 1}


def test_over_time_by_week_adds_up(db, register):
    weeks = table(report_for(db, coordinator(db), ReportQuery(period=Q4)), "over_time")["rows"]
    assert sum(r["value"] for r in weeks) == 4
    assert weeks[0]["label"] == "wk 40" and weeks[0]["drill"]["from"] == "2026-10-01"
    assert {r["label"]: r["value"] for r in weeks if r["value"]} == {
        "wk 41": 1,
        "wk 43": 1,
        "wk 46": 1,
        "wk 47": 1,
    }


def test_a_manager_sees_their_teams_and_learns_of_a_repeat_aggressor_without_a_name(db, register):
    team_a = report_for(db, register.users["ma"], ReportQuery(period=Q4))
    found = figures(team_a)
    assert team_a["scope"]["everything"] is False and "Noord A" in team_a["scope"]["label"]
    assert [t["name"] for t in team_a["options"]["teams"]] == ["Noord A"]
    assert found[("total", "all")] == (2, 1)
    assert found[("repeat", "people")] == (1, 0)
    assert found[("repeat", "across_teams")] == (1, 0)  # K-1 is known in Noord B too
    assert found[("alarms", "count")] == (2, 1)
    assert found[("alarms", "ack_median_s")] == (45, 30)
    assert found[("visits", "overdue")] == (1, 0)
    assert "K-1" not in str(team_a) and "Smit" not in str(team_a)
    others = figures(report_for(db, register.users["mbc"], ReportQuery(period=Q4)))
    assert others[("total", "all")] == (2, 1)
    assert others[("repeat", "people")] == (2, 0)
    assert others[("alarms", "tests")] == (1, 0)


def test_filters_narrow_the_report(db, register):
    north = ReportQuery(period=Q4, department_id=register.departments["Rapport Noord"])
    assert figures(report_for(db, coordinator(db), north))[("total", "all")] == (3, 1)
    boa = ReportQuery(period=Q4, function_group="boa")
    assert figures(report_for(db, coordinator(db), boa))[("total", "all")] == (2, 0)
    phone = ReportQuery(period=Q4, channel="telefoon")
    assert figures(report_for(db, coordinator(db), phone))[("behaviour", "B")] == (1, 0)


def test_a_manager_cannot_filter_on_another_team(db, register):
    from services.errors import Invalid

    with pytest.raises(Invalid):
        report_for(
            db, register.users["ma"], ReportQuery(period=Q4, team_id=register.teams["Zuid C"])
        )


def drilled(db, user_id: int, drill: dict) -> int:
    """How many incidents the register list shows for a figure's drill-down."""
    from services.incidents.service import RegisterFilter

    def day(key):
        return date.fromisoformat(drill[key]) if key in drill else None

    with db.reader() as uow:
        viewer = viewer_of(uow.session, user_id)
        filters = RegisterFilter(
            date_from=day("from"),
            date_to=day("to"),
            team_id=int(drill["team"]) if "team" in drill else None,
            department_id=int(drill["department"]) if "department" in drill else None,
        )
        also = ()
        if "figure" in drill:
            clauses, filters = figure_clauses(
                uow.session,
                viewer=viewer,
                filters=filters,
                figure=drill["figure"],
                value=drill["value"],
                period=(day("period_from"), day("period_to")),
                now=NOW,
            )
            also = tuple(clauses)
        _, total, _ = list_incidents(
            uow.session, viewer=viewer, filters=filters, limit=200, before=None, also=also
        )
        return total


@pytest.mark.parametrize("who", ["coordinator", "ma", "mbc"])
def test_every_incident_figure_opens_exactly_its_incidents(db, register, who):
    user_id = coordinator(db) if who == "coordinator" else register.users[who]
    report = report_for(db, user_id, ReportQuery(period=Q4))
    rows = [
        r
        for s in report["sections"]
        for t in s["tables"]
        if t["chart"] != "matrix"
        for r in t["rows"]
        if r["drill"]
    ]
    assert len(rows) > 40
    mismatched = {
        r["drill"].get("label", r["key"]): (r["value"], drilled(db, user_id, r["drill"]))
        for r in rows
        if drilled(db, user_id, r["drill"]) != r["value"]
    }
    assert not mismatched


def test_the_annual_count_and_the_csv(db, register):
    old = report_for(db, coordinator(db), ReportQuery(period=year(2024)))
    annual = annual_count(old)
    assert figures(annual)[("total", "all")] == (1, 0)
    assert figures(annual)[("behaviour", "E")] == (1, 0)
    assert {t["key"] for s in annual["sections"] for t in s["tables"]} >= {"total", "police"}
    lines = list(
        csv.reader(io.StringIO(report_csv(report_for(db, coordinator(db), ReportQuery(period=Q4)))))
    )
    by_label = {(line[1], line[2]): line[3:6] for line in lines[3:]}
    assert by_label[("Aantal meldingen", "Meldingen")] == ["4", "2", "2"]
    assert by_label[
        ("Naar gedragstype", "C — persoonlijk: schelden, beledigen, discrimineren")
    ] == ["0", "1", "-1"]


@pytest.mark.parametrize("figure", ["team", "department", "function_group"])
def test_the_row_without_a_team_or_group_opens_too(db, register, figure):
    drill = {"from": "2026-10-01", "to": "2026-12-31", "figure": figure, "value": "none"}
    assert drilled(db, coordinator(db), drill) == 0
