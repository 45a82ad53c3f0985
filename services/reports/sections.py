"""The report's sections, in annex 2's order: frequency and form, team and workplace,
consequences, reporting and aftercare, reactions to the aggressor, the police, causes and
actions, alarms and visits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import FUNCTION_GROUP_LABELS, Department, Team
from services.followup.analysis import CAUSE_CATEGORIES
from services.followup.measures import REACTIONS
from services.followup.police import POLICE_KINDS
from services.incidents.vocabulary import BEHAVIOUR_TYPES, CHANNELS, COMBINATION, KINDS, STATUSES
from services.reports import incident_figures as figures
from services.reports import profile
from services.reports.activity import activity_section
from services.reports.frame import Frame
from services.reports.tables import counted, drill, row, section, table
from services.reports.trends import over_time, weekday_hour

NONE = "none"


def _fixed(frames, name: str) -> tuple[dict, dict]:
    return tuple(profile.fixed_counts(f, name) for f in frames)


def _fixed_table(frames, figure: str, title: str, labels: dict) -> dict:
    """Incidents per row of a figure with a fixed vocabulary (behaviour types, channels, ...)."""
    return counted(
        figure, title, frames=frames, figure=figure, labels=labels, counts=_fixed(frames, figure)
    )


def _bans(frames) -> tuple[dict, dict]:
    return tuple(profile.ban_counts(f) for f in frames)


def _frequency(frames) -> dict:
    current, previous = frames
    totals = [profile.fixed_counts(f, "total")["all"] for f in frames]
    total = table(
        "total",
        "Aantal meldingen",
        [row("all", "Meldingen", totals[0], totals[1], drill=_all_drill(current))],
        frames=frames,
        chart=None,
        summary=f"{totals[0]} in {current.period.label}, {totals[1]} in {previous.period.label}.",
    )
    kind_labels = KINDS | {COMBINATION: "Combinatie van vormen"}
    return section(
        "frequency",
        "Frequentie en vorm van agressie",
        _change_in_words(totals[0], totals[1], previous.period.label),
        [
            total,
            over_time(frames, total=totals[1]),
            _fixed_table(frames, "behaviour", "Naar gedragstype", BEHAVIOUR_TYPES),
            _fixed_table(frames, "kind", "Naar vorm", kind_labels),
            weekday_hour(current),
        ],
    )


def _change_in_words(now: int, before: int, previous_label: str) -> str:
    if now == before:
        return f"Evenveel meldingen als in {previous_label}."
    more = "meer" if now > before else "minder"
    return f"{abs(now - before)} {more} dan in {previous_label}."


def _all_drill(frame: Frame) -> dict:
    return {**frame.query.register_params()}


def _named(session: Session, model, ids) -> dict:
    ids = [i for i in ids if i is not None]
    found = dict(session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())
    return {i: found.get(i, "?") for i in ids}


def _grouped_table(frames, key: str, title: str, *, count, labels) -> dict:
    counts = tuple(count(f) for f in frames)
    keys = sorted(set(counts[0]) | set(counts[1]), key=lambda k: (-counts[0].get(k, 0), str(k)))
    names = labels(keys)
    as_text = [({str(k if k is not None else NONE): v for k, v in c.items()}) for c in counts]
    return counted(
        key,
        title,
        frames=frames,
        figure=key,
        labels={str(k if k is not None else NONE): names[k] for k in keys},
        counts=tuple(as_text),
    )


def _where(frames) -> dict:
    session = frames[0].session
    fg_labels = FUNCTION_GROUP_LABELS | {None: "Geen functiegroep"}
    tables = [
        _fixed_table(frames, "channel", "Naar kanaal en plaats", CHANNELS),
        _fixed_table(frames, "place", "Ter plaatse of op afstand", figures.PLACES),
        _grouped_table(
            frames,
            "department",
            "Naar afdeling",
            count=profile.per_department,
            labels=lambda ks: _named(session, Department, ks) | {None: "Zonder team"},
        ),
        _grouped_table(
            frames,
            "team",
            "Naar team",
            count=lambda f: profile.per_group(f, "team"),
            labels=lambda ks: _named(session, Team, ks) | {None: "Zonder team"},
        ),
        _grouped_table(
            frames,
            "function_group",
            "Naar functiegroep",
            count=lambda f: profile.per_group(f, "function_group"),
            labels=lambda ks: {k: fg_labels.get(k, k) for k in ks},
        ),
    ]
    return section("where", "Team en werkplek", tables[3]["summary"], tables)


def _consequences(frames) -> dict:
    labels = {
        "injury": "Met letsel",
        "absence": "Met verzuim",
        "damage": "Met schade",
        "weapons": "Met geweldsmiddelen",
        "serious": "Ernstig (Inspectie SZW)",
    }
    counts = _fixed_table(frames, "consequence", "Gevolgen", labels)
    (days, euros), (days_before, euros_before) = (profile.absence_and_damage(f) for f in frames)
    totals = table(
        "consequence_totals",
        "Verzuim en schade",
        [
            row("absence_days", "Verzuimdagen", days, days_before),
            row(
                "damage_euros",
                "Schade aan eigendommen van de werkgever (euro)",
                euros,
                euros_before,
            ),
        ],
        frames=frames,
        chart=None,
        summary=f"{days} verzuimdagen, schade {euros} euro.",
    )
    return section(
        "consequences",
        "Gevolgen voor medewerker, team en organisatie",
        totals["summary"],
        [counts, totals],
    )


def _reporting(frames) -> dict:
    """The half-year report's "effectiviteit melden en registreren": on time, and handled."""
    (now, before) = _fixed(frames, "reporting")
    totals = [profile.fixed_counts(f, "total")["all"] for f in frames]
    serious = [profile.fixed_counts(f, "consequence")["serious"] for f in frames]

    def share(key, label, of):
        return row(
            key,
            label,
            now[key],
            before[key],
            of=of[0],
            previous_of=of[1],
            drill=drill(frames[0], "reporting", key, label),
        )

    timely = table(
        "reporting",
        "Tijdig gemeld",
        [
            share("within_24h", "Binnen 24 uur gemeld", totals),
            share("after_24h", "Later dan 24 uur gemeld", totals),
            share("szw_on_time", "Ernstig: binnen 24 uur gemeld bij de Inspectie SZW", serious),
            share("szw_late", "Ernstig: later gemeld bij de Inspectie SZW", serious),
            share("szw_missing", "Ernstig: (nog) niet gemeld bij de Inspectie SZW", serious),
        ],
        frames=frames,
        chart=None,
        summary=f"{now['within_24h']} van {totals[0]} binnen 24 uur gemeld.",
    )
    status = _fixed_table(frames, "status", "Stand van de afhandeling", STATUSES)
    aftercare = _fixed_table(
        frames, "aftercare", "Meldingen met nazorgstappen", figures.AFTERCARE_STATES
    )
    handled = profile.fixed_counts(frames[0], "status")["afgehandeld"]
    return section(
        "reporting",
        "Melden, registreren en nazorg",
        f"{handled} van {totals[0]} afgehandeld.",
        [timely, status, aftercare],
    )


def _reactions(frames) -> dict:
    measures = _fixed_table(
        frames, "measure", "Meldingen met een reactie naar de agressor", REACTIONS
    )
    bans = counted(
        "ban",
        "Verboden",
        frames=frames,
        figure="ban",
        chart=None,
        labels={
            "active": "Met een verbod dat aan het eind van de periode geldt",
            "breached": "Met een overtreding van een verbod in de periode",
        },
        counts=_bans(frames),
    )
    for r in bans["rows"]:
        r["drill"] = {**r["drill"], **_period_apart(frames[0])}
    repeat = _fixed(frames, "repeat")
    people, before = (profile.repeat_counts(f) for f in frames)
    repeats = table(
        "repeat",
        "Herhaalde agressie",
        [
            row("people", "Personen met meer dan één melding", people["people"], before["people"]),
            row(
                "across_teams",
                "Van wie in meer dan één team",
                people["across_teams"],
                before["across_teams"],
            ),
            row(
                "incidents",
                "Meldingen over hen",
                repeat[0]["incidents"],
                repeat[1]["incidents"],
                drill=drill(frames[0], "repeat", "incidents", "Meldingen over herhaalde agressors"),
            ),
            row(
                "recidive",
                "Als recidive gemeld",
                repeat[0]["recidive"],
                repeat[1]["recidive"],
                drill=drill(frames[0], "repeat", "recidive", "Als recidive gemeld"),
            ),
        ],
        frames=frames,
        chart=None,
        summary=f"{people['people']} personen met meer dan één melding, van wie "
        f"{people['across_teams']} in meer dan één team. Namen staan alleen in het register, "
        "voor wie ze mag zien.",
    )
    return section(
        "reactions", "Reacties naar de agressor", repeats["summary"], [measures, bans, repeats]
    )


def _period_apart(frame: Frame) -> dict:
    params = frame.query.register_params()
    return {"period_from": params["from"], "period_to": params["to"]}


def _police(frames) -> dict:
    police = _fixed_table(frames, "police", "Politie", POLICE_KINDS)
    steps = {r["key"]: r["value"] for r in police["rows"]}
    summary = (
        f"Aangifte bij {steps['aangifte']}, melding bij {steps['melding']}, afgezien bij "
        f"{steps['afgezien']} meldingen."
    )
    return section("police", "Aangiften en meldingen bij de politie", summary, [police])


def _analysis(frames) -> dict:
    causes = _fixed_table(
        frames, "cause", "Meldingen met een oorzaak, naar soort", CAUSE_CATEGORIES
    )
    actions = _fixed_table(
        frames, "action", "Meldingen met acties, naar stand", figures.ACTION_STATES
    )
    return section("analysis", "Oorzaken en acties", actions["summary"], [causes, actions])


SECTIONS = (
    _frequency,
    _where,
    _consequences,
    _reporting,
    _reactions,
    _police,
    _analysis,
    activity_section,
)
