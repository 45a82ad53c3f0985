"""CSV for P&O: Dutch headers and labels, ";" for Dutch spreadsheet settings, a BOM so Excel
reads UTF-8, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

from services.clock import MUNICIPAL_TIME
from services.incidents.models import Incident
from services.incidents.views import completeness
from services.incidents.vocabulary import (
    BEHAVIOUR_TYPES,
    CHANNELS,
    SERIOUS_CRITERIA,
    STATUSES,
    kinds_label,
)
from services.spreadsheet import cell


def _yes_no(value) -> str:
    return {True: "ja", False: "nee"}.get(value, "")


def _local(moment) -> str:
    return moment.astimezone(MUNICIPAL_TIME).strftime("%Y-%m-%d %H:%M")


def _row(i: Incident, with_aggressor: bool) -> list:
    form = i.form or {}
    amount = form.get("damage_amount_cents")
    row = [
        f"GIR-{i.id}",
        _local(i.occurred_at),
        _local(i.reported_at),
        i.victim.name,
        i.team.name if i.team else "",
        BEHAVIOUR_TYPES[i.behaviour_type],
        kinds_label(i.kinds),
        CHANNELS[i.channel],
        i.location,
        STATUSES[i.status],
        ", ".join(SERIOUS_CRITERIA[c] for c in i.serious_criteria),
        i.description,
        _yes_no(form.get("injury")),
        _yes_no(form.get("damage_employer")),
        "" if amount is None else f"{amount / 100:.2f}".replace(".", ","),
        _yes_no(form.get("weapons")),
        _yes_no(form.get("police_report")),
        _yes_no(form.get("recidive")),
        "{count}/{of}".format(**completeness(i)),
    ]
    if with_aggressor:
        row += [i.aggressor_name, i.aggressor_address]
    return row


HEADER = [
    "Nummer",
    "Datum en tijd incident",
    "Gemeld op",
    "Medewerker",
    "Team",
    "Gedrag",
    "Aard",
    "Kanaal",
    "Locatie",
    "Status",
    "Ernstig (Inspectie SZW)",
    "Omschrijving",
    "Letsel",
    "Schade werkgever",
    "Schadebedrag (EUR)",
    "Geweldsmiddelen",
    "Aangifte",
    "Recidive",
    "Zeven W's",
]


def incidents_csv(incidents: list[Incident], with_aggressor: bool) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER + (["Naam agressor", "Adres agressor"] if with_aggressor else []))
    for incident in incidents:
        writer.writerow([cell(v) for v in _row(incident, with_aggressor)])
    return out.getvalue()
