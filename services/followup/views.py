"""What the responsible manager sees: the follow-up of one incident, and the to-do list."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.clock import iso
from services.followup import aftercare
from services.followup.aftercare import end_of
from services.followup.analysis import ANALYSIS_QUESTIONS, CAUSE_CATEGORIES, CAUSE_KINDS
from services.followup.inspectorate import HOW, LIMIT, inspectorate_state
from services.followup.letters import LETTER_KINDS
from services.followup.matrix import CATEGORY_LABELS, Advice, advise
from services.followup.models import AftercareRecord, IncidentLetter, IncidentMeasure, PoliceRecord
from services.followup.measures import BANS, MEASURES
from services.followup.police import (POLICE_KINDS, advice_reason, breached_since_police,
                                     police_advice, police_open)
from services.followup.recidive import earlier_incidents, with_aggressor
from services.accounts.models import User
from services.followup.responsibility import chain_above, responsible_for
from services.incidents.access import Viewer
from services.incidents.models import Incident
from services.incidents.views import summary_json
from services.incidents.vocabulary import CLOSED, SERIOUS_CRITERIA

# The words the screens need, from the one place each is defined.
VOCABULARY = {"signs": aftercare.SIGNS, "referrals": aftercare.REFERRALS,
              "steps": {s.key: s.label for s in aftercare.SCHEDULE},
              "analysis_questions": ANALYSIS_QUESTIONS, "cause_categories": CAUSE_CATEGORIES,
              "cause_kinds": CAUSE_KINDS, "measures": MEASURES, "police_kinds": POLICE_KINDS,
              "letters": LETTER_KINDS, "inspectorate_how": HOW, "bans": list(BANS)}
REACTION_WITHIN = timedelta(hours=24)  # annex 2: a reaction to the aggressor, preferably <24 h
ORDINALS = {1: "Eerste", 2: "Tweede", 3: "Derde of volgende"}


def _advice_json(advice: Advice, earlier: list[Incident], viewer: Viewer) -> dict:
    """Recidive counts every earlier incident; only those the viewer may see are named."""
    label = CATEGORY_LABELS.get(advice.category, "")
    shown = [i for i in earlier if viewer.sees(i)]
    if advice.category is None:
        reason = "Geen agressie volgens de reactiematrix (A- of B-gedrag)."
    elif earlier:
        named = f" ({', '.join(f'GIR-{i.id}' for i in shown)})" if shown else ""
        reason = (f"{ORDINALS[advice.level]} keer {label} van deze persoon sinds "
                  f"{earlier[0].occurred_at:%d-%m-%Y}{named}.")
    else:
        reason = f"Eerste keer {label} van deze persoon in het register."
    step = advice.step
    return {"category": advice.category, "category_label": label, "level": advice.level,
            "measure": step.sanction.measure if step else None,
            "measure_label": step.sanction.label if step else "Ordegesprek",
            "min_months": step.sanction.min_months if step else 0,
            "max_months": step.sanction.max_months if step else 0,
            "police": step.police if step else None, "reason": reason, "note": advice.note,
            "earlier": [summary_json(i) for i in shown]}


@dataclass
class Records:
    """The follow-up rows of a set of incidents, loaded with one query per kind: the to-do
    list builds hundreds of follow-ups and must not ask the database per incident."""

    by_kind: dict[type, dict[int, list]]
    aggressor_incidents: list[Incident]  # for recidive, oldest first

    @classmethod
    def load(cls, session: Session, incident_ids: list[int]) -> "Records":
        by_kind = {}
        for model in (IncidentMeasure, PoliceRecord, AftercareRecord, IncidentLetter):
            grouped = defaultdict(list)
            for row in session.scalars(select(model).where(model.incident_id.in_(incident_ids))
                                       .order_by(model.id)):
                grouped[row.incident_id].append(row)
            by_kind[model] = grouped
        return cls(by_kind, with_aggressor(session))

    def of(self, model, incident_id: int) -> list:
        return self.by_kind[model].get(incident_id, [])


def _police_json(incident: Incident, advised: str | None, records: list[PoliceRecord],
                 measures: list[IncidentMeasure]) -> dict:
    breaches = [b for m in measures for b in m.breaches]
    if breached_since_police(records, breaches):
        advice, reason = "aangifte", "Verbod overtreden: aangifte van lokaalvredebreuk (§8)."
    else:
        advice = advised
        reason = advice_reason(incident.behaviour_type, incident.kinds, advised) if advised else ""
    return {"advice": advice, "reason": reason,
            "open": police_open(advised, records, breaches),
            "records": [{"id": r.id, "kind": r.kind, "on": r.on.isoformat(),
                         "reference": r.reference, "domicile": r.domicile,
                         "reason": r.reason,
                         # only the victim files aangifte (§10); the manager supports
                         "filed_by": incident.victim.name if r.kind == "aangifte" else None,
                         "supported_by": r.supported_by.name if r.supported_by else None}
                        for r in records]}


def _measure_json(m: IncidentMeasure) -> dict:
    return {"id": m.id, "kind": m.kind, "decided_on": m.decided_on.isoformat(),
            "starts_on": m.starts_on and m.starts_on.isoformat(),
            "ends_on": m.ends_on and m.ends_on.isoformat(), "note": m.note,
            "breaches": m.breaches, "in_air": m.air_measure_id is not None}


def _aftercare_json(r: AftercareRecord, now: datetime) -> dict:
    return {"step": r.step, "label": aftercare.BY_KEY[r.step].label,
            "from_on": r.from_on.isoformat(), "due_at": iso(r.due_at),
            "overdue": r.done_on is None and r.due_at < now,
            "done_on": r.done_on and r.done_on.isoformat(), "notes": r.notes,
            "signs": r.signs, "referral": r.referral}


def followup_json(session: Session, now: datetime, viewer: Viewer, incident: Incident,
                  records: Records | None = None) -> dict:
    records = records or Records.load(session, [incident.id])
    earlier = earlier_incidents(records.aggressor_incidents, incident)
    advice = advise(incident.behaviour_type, incident.kinds, len(earlier))
    measures = records.of(IncidentMeasure, incident.id)
    police = records.of(PoliceRecord, incident.id)
    szw = inspectorate_state(incident.serious, incident.occurred_at, incident.szw_reported_at,
                             now)
    boss = responsible_for(session, incident.victim)
    return {
        "incident_id": incident.id, "incident_version": incident.version,
        "responsible": {"id": boss.id, "name": boss.name} if boss else None,
        "can_act": viewer.manages(incident),
        "advice": _advice_json(advice, earlier, viewer),
        "reaction_due_at": iso(incident.occurred_at + REACTION_WITHIN),
        "measures": [_measure_json(m) for m in measures],
        "police": _police_json(incident, police_advice(
            incident.behaviour_type, incident.kinds, advice.step and advice.step.police),
            police, measures),
        "inspectorate": {"required": szw.required, "state": szw.state,
                         "deadline": iso(szw.deadline), "seconds_left": szw.seconds_left,
                         "criteria": [SERIOUS_CRITERIA[c] for c in incident.serious_criteria],
                         "reported_at": iso(incident.szw_reported_at),
                         "how": incident.szw_how, "how_label": HOW.get(incident.szw_how),
                         "reference": incident.szw_reference},
        "absence_days": incident.absence_days,
        # Arbowet: absence of more than three days also goes into the accident register.
        "accident_register": (incident.absence_days or 0) > 3,
        "aftercare": [_aftercare_json(r, now)
                      for r in records.of(AftercareRecord, incident.id)],
        "analysis": incident.analysis or {"answers": {}, "causes": []},
        "letters": [{"id": x.id, "kind": x.kind, "label": LETTER_KINDS[x.kind],
                     "variant": x.variant, "text": x.text, "final": x.finalised_at is not None,
                     "created_at": iso(x.created_at), "finalised_at": iso(x.finalised_at)}
                    for x in records.of(IncidentLetter, incident.id)],
        "vocabulary": VOCABULARY,
    }


def open_items(view: dict, now: datetime) -> list[dict]:
    """The follow-up's open points with their due time, from `followup_json`."""
    items = []
    szw = view["inspectorate"]
    if szw["state"] in ("open", "overdue"):
        items.append({"kind": "inspectorate", "label": "Melden bij de Inspectie SZW "
                      "(0800-5151)", "due_at": szw["deadline"], "urgent": True})
    if view["advice"]["category"] and not view["measures"]:
        items.append({"kind": "reaction", "label": "Reactie naar de agressor: "
                      + view["advice"]["measure_label"], "due_at": view["reaction_due_at"]})
    if view["police"]["open"]:
        items.append({"kind": "police", "label": "Politie: " + view["police"]["advice"],
                      "due_at": None})
    for step in view["aftercare"]:
        if step["done_on"] is None:
            items.append({"kind": "aftercare", "step": step["step"],
                          "label": step["label"], "due_at": step["due_at"]})
            break  # the next step only: a three-month list would bury what matters now
    if not view["analysis"].get("causes"):
        items.append({"kind": "analysis", "label": "Incidentanalyse", "due_at": None})
    items += [{"kind": "action", "label": "Actie: " + c["action"],
               "due_at": iso(end_of(date.fromisoformat(c["action_due_on"])))}
              for c in view["analysis"].get("causes", [])
              if c.get("action") and c.get("action_due_on") and not c.get("action_done_on")]
    for item in items:
        item["overdue"] = bool(item["due_at"]) and item["due_at"] < iso(now)
    return items


def _todo_candidates(session: Session, now: datetime, viewer: Viewer):
    """Open incidents whose follow-up is this person's: those they are responsible for; for
    the coordinator also every overdue Inspectie SZW report and incidents nobody leads."""
    # A closed incident stays on the list while the victim's aftercare runs (§11: ~3 months).
    aftercare_open = select(AftercareRecord.incident_id).where(AftercareRecord.done_on.is_(None))
    query = select(Incident).where(or_(Incident.status != CLOSED,
                                       Incident.id.in_(aftercare_open)))
    if viewer.user.role != "coordinator":
        return [i for i in session.scalars(query.where(
            Incident.victim_id.in_(viewer.subordinates)).order_by(Incident.occurred_at))
            if responsible_for(session, i.victim).id == viewer.user.id]
    leaderless = [u.id for u in session.scalars(select(User)) if not chain_above(u)]
    late = (Incident.serious.is_(True) & Incident.szw_reported_at.is_(None)
            & (Incident.occurred_at <= now - LIMIT))
    return list(session.scalars(query.where(late | Incident.victim_id.in_(leaderless))
                                .order_by(Incident.occurred_at)))


def todo_list(session: Session, now: datetime, viewer: Viewer) -> list[dict]:
    """What is still to be done, most urgent first."""
    result, candidates = [], _todo_candidates(session, now, viewer)
    records = Records.load(session, [i.id for i in candidates])
    for incident in candidates:
        items = open_items(followup_json(session, now, viewer, incident, records), now)
        if incident.status == CLOSED:
            items = [i for i in items if i["kind"] == "aftercare"]
        if items:
            dues = sorted(i["due_at"] for i in items if i["due_at"])
            result.append({"incident": summary_json(incident), "items": items,
                           "urgent": any(i.get("urgent") for i in items),
                           "next_due": dues[0] if dues else None})
    return sorted(result, key=lambda r: (not r["urgent"], r["next_due"] or "9999"))


def closing_blockers(session: Session, now: datetime, viewer: Viewer,
                     incident: Incident) -> list[str]:
    """What must be done before an incident is closed: the legal report to the Inspectie SZW,
    and a decision on the police (recorded, or declined with a reason). Aftercare goes on after
    the register is closed; its three months are no reason to keep the report open."""
    view = followup_json(session, now, viewer, incident)
    blockers = []
    if view["inspectorate"]["state"] in ("open", "overdue"):
        blockers.append("de melding bij de Inspectie SZW")
    if view["police"]["open"]:
        blockers.append("een besluit over aangifte of melding bij de politie")
    return blockers
