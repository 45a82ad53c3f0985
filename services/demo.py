"""The demo municipality that `make run` seeds into an empty database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.accounts.models import (
    Department,
    FunctionGroup,
    ManagedTeam,
    Organisation,
    Role,
    Team,
    User,
)
from services.accounts.service import hash_password
from services.checklists.service import install_default_checklists
from services.clock import SystemClock, local_date
from services.escalation.alarm_policy import DEFAULT_ALARM_POLICY
from services.escalation.models import EscalationPolicy
from services.followup.service import schedule_aftercare
from services.incidents.models import Incident, IncidentChange
from services.learning.instruments import install_default_instruments
from services.register.models import MeasureKind, RegisterEntry, RegisterMeasure

DEMO_PASSWORD = "veldwacht-demo"
DEMO_PIN, DEMO_DURESS_PIN = "4826", "7391"
DEMO_MAIL_DOMAIN = "demodorp.example"  # reserved for examples (RFC 2606): no mail leaves
DEMO_ORGANISATION = "Gemeente Demodorp"  # also VELDWACHT_ORG_NAME's default (app/config.py)

# team -> department, manager (username, name, phone), workers (username, name, group, phone)
DEMO_TEAMS = [
    (
        "Sociaal Domein",
        "Maatschappelijke Ondersteuning",
        ("lisa", "Lisa de Vries", "+31 6 1000 0001"),
        [
            ("sanne", "Sanne Jansen", FunctionGroup.SOCIAAL_DOMEIN, "+31 6 1000 0011"),
            ("mohammed", "Mohammed El Amrani", FunctionGroup.SOCIAAL_DOMEIN, "+31 6 1000 0012"),
            ("anouk", "Anouk Visser", FunctionGroup.WERKPLEINEN, "+31 6 1000 0013"),
        ],
    ),
    (
        "Handhaving (BOA)",
        "Veiligheid en Handhaving",
        ("peter", "Peter Bakker", "+31 6 1000 0002"),
        [
            ("kim", "Kim Smit", FunctionGroup.BOA, "+31 6 1000 0021"),
            ("daan", "Daan Mulder", FunctionGroup.BOA, "+31 6 1000 0022"),
            ("yara", "Yara de Boer", FunctionGroup.INSPECTIE, "+31 6 1000 0023"),
        ],
    ),
    (
        "Buitendienst",
        "Openbare Ruimte",
        ("henk", "Henk de Groot", "+31 6 1000 0003"),
        [
            ("joost", "Joost Meijer", FunctionGroup.BEHEER_ONDERHOUD, "+31 6 1000 0031"),
            (
                "fatima",
                "Fatima Bouzid",
                FunctionGroup.BEHEER_SPORT_BEGRAAFPLAATS,
                "+31 6 1000 0032",
            ),
        ],
    ),
]


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Organisation)) == 0


OTHER_LOGINS = [
    ("coordinator", "Ingrid Smit", "agressiecoördinator"),
    ("beheer", "Bas Beheer", "beheerder"),
    ("gemeentesecretaris", "Marieke Hendriks", "gemeentesecretaris"),
    ("loco", "Jeroen Kramer", "loco-gemeentesecretaris"),
]


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, name, what) of every demo account, for `make run` to print."""
    logins = []
    for team_name, _dept, (m_user, m_name, _phone), workers in DEMO_TEAMS:
        logins.append((m_user, m_name, f"leidinggevende {team_name}"))
        logins += [(w[0], w[1], f"medewerker {team_name}") for w in workers]
    return logins + OTHER_LOGINS


def seed_demo_municipality(session: Session, now=None) -> None:
    """Create the demo organisation with its departments, teams and people, the default
    checklists and a few register entries."""
    now = now or SystemClock().now()
    # hashed once: seeding stays fast
    secrets = {
        "password_hash": hash_password(DEMO_PASSWORD),
        "alarm_pin_hash": hash_password(DEMO_PIN),
        "duress_pin_hash": hash_password(DEMO_DURESS_PIN),
    }
    org = Organisation(name=DEMO_ORGANISATION)
    session.add(org)
    secretary = _user(
        session,
        "gemeentesecretaris",
        "Marieke Hendriks",
        Role.LEIDINGGEVENDE,
        secrets=secrets,
        phone="+31 6 1000 0000",
    )
    for team_name, dept_name, (m_user, m_name, m_phone), workers in DEMO_TEAMS:
        dept = Department(organisation=org, name=dept_name)
        team = Team(department=dept, name=team_name)
        session.add_all([dept, team])
        session.flush()
        session.add(EscalationPolicy(team_id=team.id, alarm_steps=DEFAULT_ALARM_POLICY))
        manager = _user(
            session,
            m_user,
            m_name,
            Role.LEIDINGGEVENDE,
            secrets=secrets,
            team=team,
            phone=m_phone,
            manager=secretary,
        )
        session.add(ManagedTeam(manager_id=manager.id, team_id=team.id))
        for username, name, group, phone in workers:
            _user(
                session,
                username,
                name,
                Role.MEDEWERKER,
                secrets=secrets,
                team=team,
                phone=phone,
                manager=manager,
                group=group,
                on_duty=True,
            )
    _user(
        session,
        "coordinator",
        "Ingrid Smit",
        Role.COORDINATOR,
        secrets=secrets,
        phone="+31 6 1000 0004",
        manager=secretary,
    )
    _user(session, "beheer", "Bas Beheer", Role.BEHEERDER, secrets=secrets)
    # §5: an incident against the gemeentesecretaris is the loco-gemeentesecretaris's to handle.
    secretary.manager_id = _user(
        session,
        "loco",
        "Jeroen Kramer",
        Role.LEIDINGGEVENDE,
        secrets=secrets,
        phone="+31 6 1000 0005",
    ).id
    install_default_checklists(session, now)
    install_default_instruments(session, now)
    _seed_register(session, now)


def _seed_register(session: Session, now) -> None:
    """Two register entries for trying the pre-visit check: an address with a known
    aggressor and a building ban, and a client with a contact ban (no contact at all),
    recorded by the first team (its manager may change them)."""
    today = local_date(now)
    team_id = session.scalar(select(Team.id).order_by(Team.id).limit(1))
    molenweg = RegisterEntry(
        address="Molenweg 3, Demodorp",
        name="P. Verhoeven",
        known_aggressive=True,
        behaviour_type="D",
        remarks="Dreigde bij een huisbezoek de medewerker op te wachten.",
        team_id=team_id,
        created_at=now,
        updated_at=now,
    )
    lindelaan = RegisterEntry(
        address="Lindelaan 21, Demodorp",
        name="J. de Wit",
        client_ref="K-1042",
        known_aggressive=True,
        behaviour_type="E",
        remarks="Sloeg een medewerker aan de balie.",
        team_id=team_id,
        created_at=now,
        updated_at=now,
    )
    session.add_all([molenweg, lindelaan])
    session.flush()
    session.add_all(
        [
            RegisterMeasure(
                entry_id=molenweg.id,
                kind=MeasureKind.PANDVERBOD,
                starts_on=today,
                ends_on=today + timedelta(days=365),
                reason="D-gedrag",
                created_at=now,
            ),
            RegisterMeasure(
                entry_id=lindelaan.id,
                kind=MeasureKind.CONTACTVERBOD,
                starts_on=today,
                ends_on=None,
                reason="E-gedrag",
                created_at=now,
            ),
        ]
    )


def _user(
    session,
    username,
    name,
    role,
    *,
    secrets: dict,
    team=None,
    phone=None,
    manager=None,
    group=None,
    on_duty=False,
) -> User:
    user = User(
        username=username,
        name=name,
        role=role,
        **secrets,
        team_id=team.id if team else None,
        phone=phone,
        email=f"{username}@{DEMO_MAIL_DOMAIN}",
        manager_id=manager.id if manager else None,
        function_group=group,
        on_duty=on_duty,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


# (reporter, days ago, behaviour, kinds, channel, location, description, aggressor, form, status)
DEMO_INCIDENTS = [
    (
        "sanne",
        2,
        "D",
        ["intimidatie"],
        "huisbezoek",
        "Molenweg 3, Demodorp",
        "Cliënt werd boos over de afwijzing, ging in de deuropening staan en zei: 'Ik wacht je "
        "buiten wel op.' Ik ben weggegaan en heb Lisa gebeld.",
        ("P. Verhoeven", "Molenweg 3, Demodorp"),
        {
            "cause": "Afwijzing van de aanvraag bijzondere bijstand.",
            "injury": False,
            "weapons": False,
        },
        "in_behandeling",
    ),
    (
        "kim",
        1,
        "C",
        ["verbaal", "discriminatie"],
        "openbare_ruimte",
        "Marktplein, Demodorp",
        "Bij het aanspreken op fout parkeren werd ik uitgescholden, ook met racistische "
        "opmerkingen. Omstanders filmden.",
        None,
        {},
        "gemeld",
    ),
    (
        "joost",
        0,
        "E",
        ["fysiek_zaak"],
        "openbare_ruimte",
        "Parkweg, Demodorp",
        "Bewoner schopte tegen de veegwagen en sloeg de spiegel eraf toen we de straat afzetten.",
        None,
        {
            "damage_employer": True,
            "damage_employer_description": "Spiegel veegwagen",
            "damage_amount_cents": 34500,
        },
        "gemeld",
    ),
]


def seed_demo_incidents(session: Session, now=None) -> None:
    """A few reports so the register (GIR) is not empty in the demo; not in the test
    template, where each test makes the reports it asserts on."""
    now = now or SystemClock().now()
    users = {u.username: u for u in session.scalars(select(User))}
    for n, (
        who,
        days,
        behaviour,
        kinds,
        channel,
        location,
        text,
        aggressor,
        form,
        status,
    ) in enumerate(DEMO_INCIDENTS):
        user, at = users[who], now - timedelta(days=days, hours=2)
        name, address = aggressor or ("", "")
        incident = Incident(
            client_id=f"demo-incident-{n + 1}",
            reporter_id=user.id,
            victim_id=user.id,
            team_id=user.team_id,
            occurred_at=at,
            reported_at=at + timedelta(minutes=20),
            updated_at=at + timedelta(minutes=20),
            behaviour_type=behaviour,
            kinds=kinds,
            channel=channel,
            location=location,
            description=text,
            status=status,
            serious=False,
            serious_criteria=[],
            form=form,
            aggressor_name=name,
            aggressor_address=address,
            aggressor_client_ref="",
        )
        session.add(incident)
        session.flush()
        session.add(
            IncidentChange(
                incident_id=incident.id,
                at=incident.reported_at,
                user_id=user.id,
                action="gemeld",
                changes=[],
            )
        )
        schedule_aftercare(session, incident)
