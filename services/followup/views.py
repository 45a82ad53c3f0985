"""What the responsible manager sees: the follow-up of one incident with its sections' state,
its open items, and the to-do list (what stands in the way of closing it is in closing.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from services.accounts.models import Role
from services.accounts.responsibility import chain_above, responsible_for
from services.clock import Clock, iso, local_date
from services.followup import aftercare
from services.followup.aftercare import end_of
from services.followup.analysis import ANALYSIS_QUESTIONS, CAUSE_CATEGORIES, CAUSE_KINDS
from services.followup.inspectorate import PENDING, PHONE, inspectorate_state, written_state
from services.followup.letters import LETTER_KINDS, TO_THE_AGGRESSOR, VARIANTS
from services.followup.matrix import CATEGORY_LABELS, PERSISTENT, Advice, advise
from services.followup.measures import NO_MEASURE, REACTIONS
from services.followup.models import AftercareRecord, IncidentLetter, IncidentMeasure, PoliceRecord
from services.followup.police import (
    POLICE_WITHIN,
    advice_reason,
    advised_police,
    breached_since_police,
    breaches_of,
    police_due,
    police_open,
)
from services.followup.recidive import earlier_incidents, with_aggressor
from services.incidents.access import Viewer, managed_incident
from services.incidents.models import Incident
from services.incidents.service import log_reads
from services.incidents.views import summary_json
from services.incidents.vocabulary import CLOSED, SERIOUS_CRITERIA
from services.register.models import RegisterEntry
from services.register.service import ONE_AT_A_TIME, entries_matching, measure_json, still_runs

# The words the screens need, from the one place each is defined.
VOCABULARY = {
    "signs": aftercare.SIGNS,
    "referrals": aftercare.REFERRALS,
    "steps": {s.key: s.label for s in aftercare.SCHEDULE},
    "analysis_questions": ANALYSIS_QUESTIONS,
    "cause_categories": CAUSE_CATEGORIES,
    "cause_kinds": CAUSE_KINDS,
    "letters": LETTER_KINDS,
    "letter_variants": VARIANTS,
}  # measures and police steps: services/vocabulary.py (GET /api/vocabulary)
REACTION_WITHIN = POLICE_WITHIN  # annex 2: a reaction to the aggressor, preferably <24 h
ORDINALS = {1: "Eerste", 2: "Tweede", 3: "Derde of volgende"}
# The follow-up's sections in the order the screen shows them; each open item belongs to one.
SECTIONS = ("szw", "reaction", "police", "aftercare", "analysis", "letters")
TODO_FIRST = 3  # incidents shown before "meer": a phone screen's worth


def _named(earlier: list[Incident], viewer: Viewer) -> str:
    """Recidive counts every earlier incident; only those the viewer may see are named."""
    shown = [i for i in earlier if viewer.sees(i)]
    return f" ({', '.join(f'GIR-{i.id}' for i in shown)})" if shown else ""


def _reason(advice: Advice, earlier: list[Incident], viewer: Viewer) -> str:
    label = CATEGORY_LABELS.get(advice.category, "")
    since = f"sinds {earlier[0].occurred_at:%d-%m-%Y}{_named(earlier, viewer)}" if earlier else ""
    if advice.category is None:
        return "Geen agressie volgens de reactiematrix (A- of B-gedrag)."
    if advice.category == PERSISTENT:
        if advice.occurrence == 2:
            return (
                f"Aanhoudend A/B-gedrag (§7): het tweede incident van deze persoon {since}. "
                "Eerst een waarschuwingsbrief (§8); daarna wordt het behandeld als D-gedrag."
            )
        return (
            f"Aanhoudend A/B-gedrag: behandeld als D-gedrag (§7). Incident "
            f"{advice.occurrence} van deze persoon {since}: "
            f"{ORDINALS[advice.level].lower()} keer persoonlijke bedreiging (D)."
        )
    if earlier:
        return f"{ORDINALS[advice.level]} keer {label} van deze persoon {since}."
    return f"Eerste keer {label} van deze persoon in het register."


def _advice_json(advice: Advice, earlier: list[Incident], viewer: Viewer) -> dict:
    step = advice.step
    return {
        "category": advice.category,
        "category_label": CATEGORY_LABELS.get(advice.category, ""),
        "level": advice.level,
        "measure": step.sanction.measure if step else None,
        "measure_label": step.sanction.label if step else "Ordegesprek",
        "min_months": step.sanction.min_months if step else 0,
        "max_months": step.sanction.max_months if step else 0,
        "police": step.police if step else None,
        "reason": _reason(advice, earlier, viewer),
        "note": advice.note,
        "earlier": [summary_json(i) for i in earlier if viewer.sees(i)],
    }


@dataclass
class Records:
    """The follow-up rows of a set of incidents, loaded with one query per kind: the to-do
    list builds hundreds of follow-ups and must not ask the database per incident."""

    by_kind: dict[type, dict[int, list]]
    aggressor_incidents: list[Incident]  # for recidive, oldest first
    air_entries: list[RegisterEntry]  # for the aggressor's running bans

    @classmethod
    def load(cls, session: Session, incident_ids: list[int]) -> Records:
        by_kind = {}
        for model in (IncidentMeasure, PoliceRecord, AftercareRecord, IncidentLetter):
            grouped = defaultdict(list)
            for row in session.scalars(
                select(model).where(model.incident_id.in_(incident_ids)).order_by(model.id)
            ):
                grouped[row.incident_id].append(row)
            by_kind[model] = grouped
        entries = list(
            session.scalars(
                select(RegisterEntry)
                .order_by(RegisterEntry.id)
                .options(selectinload(RegisterEntry.measures))
            )
        )
        return cls(by_kind, with_aggressor(session), entries)

    def of(self, model, incident_id: int) -> list:
        return self.by_kind[model].get(incident_id, [])

    def running(self, incident: Incident, today: date) -> list[dict]:
        """The aggressor's bans and suspensions in the AIR that hold today or later: a
        second one is refused, these can be extended (reaction.extend_ban)."""
        if not (incident.aggressor_address or incident.aggressor_client_ref):
            return []
        found = entries_matching(
            self.air_entries, incident.aggressor_address, incident.aggressor_client_ref or None
        )[:1]
        return [
            measure_json(m, today)
            for e in found
            for m in e.measures
            if m.kind in ONE_AT_A_TIME and still_runs(m, today)
        ]


def _police_json(
    incident: Incident,
    advised: str | None,
    records: list[PoliceRecord],
    measures: list[IncidentMeasure],
) -> dict:
    breaches = breaches_of(measures)
    if breached_since_police(records, breaches):
        advice, reason = "aangifte", "Verbod overtreden: aangifte van lokaalvredebreuk (§8)."
    else:
        advice = advised
        reason = advice_reason(incident.behaviour_type, incident.kinds, advised) if advised else ""
    return {
        "advice": advice,
        "reason": reason,
        "open": police_open(advised, records, breaches),
        "due_at": iso(police_due(incident.occurred_at, records, breaches)),
        "records": [
            {
                "id": r.id,
                "kind": r.kind,
                "on": r.on.isoformat(),
                "reference": r.reference,
                "domicile": r.domicile,
                "reason": r.reason,
                # only the victim files aangifte (§10); the manager supports
                "filed_by": incident.victim.name if r.kind == "aangifte" else None,
                "supported_by": r.supported_by.name if r.supported_by else None,
            }
            for r in records
        ],
    }


def _measure_json(m: IncidentMeasure) -> dict:
    return {
        "id": m.id,
        "kind": m.kind,
        "label": REACTIONS[m.kind],
        "decided_on": m.decided_on.isoformat(),
        "starts_on": m.starts_on and m.starts_on.isoformat(),
        "ends_on": m.ends_on and m.ends_on.isoformat(),
        "note": m.note,
        "extended_from": m.extended_from and m.extended_from.isoformat(),
        "breaches": m.breaches,
        "in_air": m.air_measure_id is not None,
    }


def _aftercare_json(r: AftercareRecord, now: datetime) -> dict:
    return {
        "step": r.step,
        "label": aftercare.BY_KEY[r.step].label,
        "from_on": r.from_on.isoformat(),
        "due_at": iso(r.due_at),
        "overdue": r.done_on is None and r.due_at < now,
        "done_on": r.done_on and r.done_on.isoformat(),
        "notes": r.notes,
        "signs": r.signs,
        "referral": r.referral,
    }


def _inspectorate_json(incident: Incident, now: datetime) -> dict:
    szw = inspectorate_state(incident.serious, incident.occurred_at, incident.szw_reported_at, now)
    written, written_due = written_state(
        incident.serious, incident.szw_reported_at, incident.szw_written_at, now
    )
    return {
        "required": szw.required,
        "state": szw.state,
        "deadline": iso(szw.deadline),
        "seconds_left": szw.seconds_left,
        "criteria": [SERIOUS_CRITERIA[c] for c in incident.serious_criteria],
        "reported_at": iso(incident.szw_reported_at),
        "reference": incident.szw_reference,
        "written": {
            "state": written,
            "due_at": iso(written_due),
            "reported_at": iso(incident.szw_written_at),
            "reference": incident.szw_written_reference,
        },
    }


def _letter_defaults(measures: list[IncidentMeasure]) -> dict:
    """The letter form starts from the measure just recorded."""
    latest = next((m for m in reversed(measures) if m.kind != NO_MEASURE), None)
    if latest is None:
        return {"kind": "waarschuwingsbrief", "measure_id": None}
    return {
        "kind": latest.kind if latest.kind in LETTER_KINDS else "waarschuwingsbrief",
        "measure_id": latest.id,
    }


def read_followup(session: Session, clock: Clock, *, viewer: Viewer, incident_id: int) -> dict:
    """The follow-up as the one who acts on it sees it, aggressor and letters included: a read
    of aggressor details, logged."""
    incident = managed_incident(session, viewer, incident_id)
    log_reads(session, clock, viewer=viewer, incidents=[incident], purpose="opvolging")
    return followup_json(session, clock.now(), viewer=viewer, incident=incident)


def followup_json(
    session: Session,
    now: datetime,
    *,
    viewer: Viewer,
    incident: Incident,
    records: Records | None = None,
) -> dict:
    records = records or Records.load(session, [incident.id])
    earlier = earlier_incidents(records.aggressor_incidents, incident)
    advice = advise(incident.behaviour_type, incident.kinds, len(earlier))
    measures = records.of(IncidentMeasure, incident.id)
    police = records.of(PoliceRecord, incident.id)
    letters = records.of(IncidentLetter, incident.id)
    boss = responsible_for(session, incident.victim)
    view = {
        "incident_id": incident.id,
        "incident_version": incident.version,
        "responsible": {"id": boss.id, "name": boss.name} if boss else None,
        "can_act": viewer.manages(incident),
        "advice": _advice_json(advice, earlier, viewer),
        "reaction_due_at": iso(incident.occurred_at + REACTION_WITHIN),
        "measures": [_measure_json(m) for m in measures],
        "running": records.running(incident, local_date(now)),
        "police": _police_json(incident, advised_police(incident, advice), police, measures),
        "inspectorate": _inspectorate_json(incident, now),
        "absence_days": incident.absence_days,
        # Arbowet: absence of more than three days also goes into the accident register.
        "accident_register": (incident.absence_days or 0) > 3,
        "aftercare": [_aftercare_json(r, now) for r in records.of(AftercareRecord, incident.id)],
        "analysis": incident.analysis or {"answers": {}, "causes": []},
        "letters": [
            {
                "id": x.id,
                "kind": x.kind,
                "label": LETTER_KINDS[x.kind],
                "variant": x.variant,
                "text": x.text,
                "final": x.finalised_at is not None,
                "to_aggressor": x.kind in TO_THE_AGGRESSOR,
                "created_at": iso(x.created_at),
                "finalised_at": iso(x.finalised_at),
            }
            for x in letters
        ],
        "letter_defaults": _letter_defaults(measures),
        # Offered beside a draft, never put in it: the manager describes the behaviour herself.
        "description_suggestion": incident.description,
        "vocabulary": VOCABULARY,
    }
    view["sections"] = _sections(view, open_items(view, now))
    return view


def _item(section: str, kind: str, label: str, due_at: str | None, **extra) -> dict:
    return {"section": section, "kind": kind, "label": label, "due_at": due_at, **extra}


def open_items(view: dict, now: datetime) -> list[dict]:
    """The follow-up's open points with their due time, most urgent first."""
    items = []
    szw, police = view["inspectorate"], view["police"]
    if szw["state"] in PENDING:
        items.append(
            _item(
                "szw",
                "inspectorate",
                f"Telefonisch melden bij de Inspectie SZW ({PHONE})",
                szw["deadline"],
                urgent=True,
            )
        )
    if szw["written"]["state"] in PENDING:
        items.append(
            _item(
                "szw",
                "inspectorate_written",
                "Schriftelijk melden bij de Inspectie SZW (website)",
                szw["written"]["due_at"],
            )
        )
    if not view["measures"]:
        items.append(
            _item(
                "reaction",
                "reaction",
                "Reactie naar de agressor: " + view["advice"]["measure_label"],
                view["reaction_due_at"],
            )
        )
    if police["open"]:
        items.append(_item("police", "police", "Politie: " + police["advice"], police["due_at"]))
    step = next((s for s in view["aftercare"] if s["done_on"] is None), None)
    if step:  # the next step only: a three-month list would bury what matters now
        items.append(
            _item("aftercare", "aftercare", step["label"], step["due_at"], step=step["step"])
        )
    if not view["analysis"].get("causes"):
        items.append(_item("analysis", "analysis", "Incidentanalyse", None))
    items += [
        _item(
            "analysis",
            "action",
            "Actie: " + c["action"],
            iso(end_of(date.fromisoformat(c["action_due_on"]))),
        )
        for c in view["analysis"].get("causes", [])
        if c.get("action") and c.get("action_due_on") and not c.get("action_done_on")
    ]
    for item in items:
        item["overdue"] = bool(item["due_at"]) and item["due_at"] < iso(now)
    return sorted(items, key=_urgency)


def _urgency(item: dict) -> tuple:
    """Overdue first, then urgent (the 24 hours of the Inspectie SZW), then by due time."""
    return not item["overdue"], not item.get("urgent"), item["due_at"] or "9999"


def _sections(view: dict, items: list[dict]) -> list[dict]:
    """Each section with its state: overdue, open, done, or none (nothing to do there)."""
    nothing = {
        "szw": not view["inspectorate"]["required"],
        "police": not view["police"]["advice"] and not view["police"]["records"],
        "letters": not view["letters"],
    }
    drafts = any(not x["final"] for x in view["letters"])
    result = []
    for key in SECTIONS:
        mine = [i for i in items if i["section"] == key]
        state = (
            "overdue"
            if any(i["overdue"] for i in mine)
            else "open"
            if mine or (key == "letters" and drafts)
            else "none"
            if nothing.get(key)
            else "done"
        )
        result.append({"key": key, "state": state, "open": len(mine)})
    return result


def _todo_candidates(session: Session, viewer: Viewer) -> list[Incident]:
    """Open incidents whose follow-up is this person's, or for the coordinator everyone's
    (she keeps the overview: what is overdue anywhere is hers to see)."""
    # A closed incident stays on the list while the victim's aftercare runs (§11: ~3 months).
    aftercare_open = select(AftercareRecord.incident_id).where(AftercareRecord.done_on.is_(None))
    query = (
        select(Incident)
        .where(or_(Incident.status != CLOSED, Incident.id.in_(aftercare_open)))
        .order_by(Incident.occurred_at)
    )
    if viewer.user.role == Role.COORDINATOR:
        return list(session.scalars(query))
    return [
        i
        for i in session.scalars(query.where(Incident.victim_id.in_(viewer.subordinates)))
        if responsible_for(session, i.victim).id == viewer.user.id
    ]


def _todo_entry(
    session: Session, now: datetime, *, viewer: Viewer, incident: Incident, records: Records
) -> dict | None:
    view = followup_json(session, now, viewer=viewer, incident=incident, records=records)
    items = open_items(view, now)
    if incident.status == CLOSED:
        items = [i for i in items if i["kind"] == "aftercare"]
    if viewer.user.role == Role.COORDINATOR and chain_above(incident.victim):
        items = [i for i in items if i["overdue"]]  # someone else's: only what is late
    if not items:
        return None
    dues = sorted(i["due_at"] for i in items if i["due_at"])
    return {
        "incident": summary_json(incident),
        "responsible": view["responsible"],
        "items": items,
        "count": len(items),
        "urgent": any(i.get("urgent") for i in items),
        "overdue": any(i["overdue"] for i in items),
        "next_due": dues[0] if dues else None,
    }


def todo_list(session: Session, now: datetime, viewer: Viewer) -> list[dict]:
    """What is still to be done, grouped per incident, the most urgent first: an incident
    ranks by its most urgent item."""
    candidates = _todo_candidates(session, viewer)
    records = Records.load(session, [i.id for i in candidates])
    entries = [
        e
        for e in (
            _todo_entry(session, now, viewer=viewer, incident=i, records=records)
            for i in candidates
        )
        if e
    ]
    return sorted(entries, key=lambda e: _urgency(e["items"][0]))


def todo_json(session: Session, now: datetime, viewer: Viewer) -> dict:
    """The to-do list with its count of open items and how many incidents to show first."""
    entries = todo_list(session, now, viewer)
    return {"todo": entries, "count": sum(e["count"] for e in entries), "first": TODO_FIRST}
