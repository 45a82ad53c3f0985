"""The words and rules the PWA renders from (`GET /api/vocabulary`), assembled from the one
place each is defined: the PWA keeps no list of its own, so a value added here reaches every
screen, and tests/api/test_vocabulary.py fails when the PWA restates one.

Labels are Dutch (the protocol's words); the API translates them. Lists keep their order, as
the protocol numbers them."""

from __future__ import annotations

from services.accounts.capabilities import LINE_MANAGERS
from services.accounts.credentials import PIN, PIN_ENTRY
from services.accounts.models import FUNCTION_GROUP_LABELS, ROLE_LABELS
from services.admin import fields as admin
from services.alarms.models import OUTCOME_LABELS, Outcome
from services.audit import labels as audit_trail
from services.checklists import scoring
from services.checklists.scoring import ANSWER_LABELS, LEVEL_LABELS, LEVELS, RISK_ANSWERS
from services.clock import CLOCK_SKEW
from services.followup import aftercare, analysis, inspectorate, letters, measures, police
from services.followup.measures import BANS, NO_MEASURE, PERIODS, REACTIONS
from services.followup.police import DEFAULT_STEP, POLICE_KINDS
from services.incidents.form import PARTS, QUESTIONS, SEVEN_WS, YES_NO_ANSWERS, Question
from services.incidents.service import OLDEST
from services.incidents.vocabulary import (
    BEHAVIOUR_EXAMPLES,
    BEHAVIOUR_TYPES,
    CHANNELS,
    COMBINATION,
    DESCRIPTION,
    KINDS,
    LIST_PAGE,
    SERIOUS_CRITERIA,
    SHORT_TEXT,
    STATUSES,
    VISIT_CHANNELS,
)
from services.learning import plan
from services.learning import service as learning
from services.messages.service import TEXT as MESSAGE
from services.register import models as register
from services.register.models import MEASURE_LABELS
from services.reports import documents as report_documents
from services.reports import periods as report_periods
from services.visits import models as visits
from services.visits.models import VISIT_TYPES

# Every field limit the PWA's forms hold to, by the name a form gives it (data-limit).
LIMITS = {
    "incident_description": DESCRIPTION,
    "incident_short_text": SHORT_TEXT,
    "incidents_page": LIST_PAGE,
    "client_ref": register.CLIENT_REF,
    "air_name": register.NAME,
    "air_address": register.ADDRESS,
    "air_remarks": register.REMARKS,
    "air_measure_reason": register.MEASURE_REASON,
    "visit_address": visits.ADDRESS,
    "visit_floor_room": visits.FLOOR_ROOM,
    "visit_minutes": visits.EXPECTED_MINUTES,
    "visit_extend_minutes": visits.EXTEND_MINUTES,
    "visit_reason": visits.REASON,
    "pin": PIN_ENTRY,  # a PIN typed in
    "new_pin": PIN,  # a PIN chosen
    "message": MESSAGE,
    "checklist_title": scoring.TITLE,
    "checklist_questions": scoring.QUESTIONS,
    "question_id": scoring.QUESTION_ID,
    "question_text": scoring.QUESTION_TEXT,
    "question_help": scoring.QUESTION_HELP,
    "question_advice": scoring.QUESTION_ADVICE,
    "question_points": scoring.QUESTION_POINTS,
    "followup_note": measures.NOTE,
    "breach_extend_days": measures.BREACH_EXTEND_DAYS,
    "absence_days": aftercare.ABSENCE_DAYS,
    "police_reference": police.REFERENCE,
    "police_reason": police.REASON,
    "inspectorate_reference": inspectorate.REFERENCE,
    "aftercare_notes": aftercare.NOTES,
    "analysis_answer": analysis.ANSWER,
    "cause_description": analysis.CAUSE_DESCRIPTION,
    "cause_action": analysis.CAUSE_ACTION,
    "letter_text": letters.TEXT,
    "person_name": admin.NAME,
    "username": admin.USERNAME,
    "email": admin.EMAIL,
    "phone": admin.PHONE,
    "team_name": admin.TEAM_NAME,
    "department_name": admin.DEPARTMENT_NAME,
    "report_year": report_periods.YEARS,
    "report_recommendations": report_documents.RECOMMENDATIONS,
    "learning_goal": learning.GOAL,
    "plan_title": plan.TITLE,
    "plan_expected_result": plan.EXPECTED_RESULT,
    "plan_evaluation": plan.EVALUATION,
}


def _entries(labels: dict) -> list[dict]:
    return [{"code": str(code), "label": label} for code, label in labels.items()]


def _measures() -> list[dict]:
    """Every reaction a manager can record; `period` "required" / "optional" for those with
    dates in the register, `ban` for the bans (a breach can restart them)."""
    return [
        {**entry, "period": PERIODS.get(entry["code"]), "ban": entry["code"] in BANS}
        for entry in _entries(REACTIONS)
    ]


def _question(q: Question) -> dict:
    """An annex-8 question as the PWA draws it: `max` for a text, `follow_up_of` for a follow-up
    (asked when that yes/no question is answered "yes")."""
    entry = {"code": q.field, "label": q.label, "kind": q.kind, "part": q.part}
    if q.kind == "text":
        entry["max"] = q.max_length
    if q.follow_up_of:
        entry["follow_up_of"] = q.follow_up_of
    return entry


def constants() -> dict:
    """The rules the PWA checks before the server does (the server stays the authority)."""
    return {
        "clock_skew_seconds": int(CLOCK_SKEW.total_seconds()),
        "oldest_days": OLDEST.days,
    }


def vocabulary() -> dict:
    return {
        "behaviour_types": [
            {**entry, "help": BEHAVIOUR_EXAMPLES[entry["code"]]}
            for entry in _entries(BEHAVIOUR_TYPES)
        ],
        "kinds": _entries(KINDS),
        "combination": COMBINATION,
        "channels": _entries(CHANNELS),
        "visit_channels": VISIT_CHANNELS,
        "statuses": _entries(STATUSES),
        "serious_criteria": _entries(SERIOUS_CRITERIA),
        "measures": _measures(),
        "no_measure": NO_MEASURE,
        "police_steps": _entries(POLICE_KINDS),
        "police_default": DEFAULT_STEP,
        "air_measures": _entries(MEASURE_LABELS),
        "outcomes": _entries(OUTCOME_LABELS),
        "test_outcome": str(Outcome.TEST_COMPLETED),  # preselected when a test alarm ends
        "visit_types": _entries(VISIT_TYPES),
        "checklist_answers": _entries(ANSWER_LABELS),
        # a question's floor: a level above the lowest, which is no floor at all
        "checklist_floors": _entries({level: LEVEL_LABELS[level] for level in LEVELS[1:]}),
        "risk_answers": [e for e in _entries(ANSWER_LABELS) if e["code"] in RISK_ANSWERS],
        "gir_parts": _entries(PARTS),
        "gir_questions": [_question(q) for q in QUESTIONS],
        "yes_no_answers": [
            {"code": code, "label": label, "value": value} for code, label, value in YES_NO_ANSWERS
        ],
        "seven_ws": _entries(SEVEN_WS),
        "function_groups": _entries(FUNCTION_GROUP_LABELS),
        # the learning loop's team plan, and the analysis's decision per cause (seed 000)
        "plan_kinds": _entries(plan.KINDS),
        # `settable`: a state one sets by hand; the others follow from the evaluation
        "plan_states": [
            {**entry, "settable": entry["code"] in plan.OPEN} for entry in _entries(plan.STATES)
        ],
        "plan_outcomes": _entries(plan.OUTCOMES),
        # `plans`: a cause so decided can go into the team plan
        "cause_decisions": [
            {**entry, "plans": entry["code"] == analysis.ACTION_NEEDED}
            for entry in _entries(analysis.CAUSE_DECISIONS)
        ],
        # `line_manager`: can be someone's manager and lead a team (the chain of §5)
        "roles": [
            {**entry, "line_manager": entry["code"] in LINE_MANAGERS}
            for entry in _entries(ROLE_LABELS)
        ],
        # the coordinator's search of who saw what: its acts and subjects (`report`: the
        # subject's number is an incident report's)
        "audit_trail": audit_trail.published(),
        "constants": constants(),
        "limits": {name: [limit.min, limit.max] for name, limit in LIMITS.items()},
    }
