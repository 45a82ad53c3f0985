"""Organisation -> departments -> teams; users with a role, a team, a function group and a
manager."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime


class Role(StrEnum):
    MEDEWERKER = "medewerker"  # field worker
    LEIDINGGEVENDE = "leidinggevende"  # manager of one or more teams
    COORDINATOR = "coordinator"  # aggression coordinator / P&O / prevention officer
    BEHEERDER = "beheerder"  # application administrator


class FunctionGroup(StrEnum):
    """The function groups of the learning guide (seed 000); checklists and learning goals
    follow them."""

    WERKPLEINEN = "werkpleinen"
    SOCIAAL_DOMEIN = "sociaal_domein"
    KLANT_CONTACT_CENTRUM = "klant_contact_centrum"
    PUBLIEKSZAKEN = "publiekszaken"
    INSPECTIE = "inspectie"
    BOA = "boa"
    BEHEER_ONDERHOUD = "beheer_onderhoud"
    BEHEER_SPORT_BEGRAAFPLAATS = "beheer_sport_begraafplaats"


# Managers and the coordinator: they maintain the AIR, read aggressor details, act on incidents.
MANAGING_ROLES = (Role.LEIDINGGEVENDE, Role.COORDINATOR)

ROLE_LABELS = {
    Role.MEDEWERKER: "Medewerker",
    Role.LEIDINGGEVENDE: "Leidinggevende",
    Role.COORDINATOR: "Agressiecoördinator",
    Role.BEHEERDER: "Beheerder",
}

FUNCTION_GROUP_LABELS = {
    FunctionGroup.WERKPLEINEN: "Werkpleinen",
    FunctionGroup.SOCIAAL_DOMEIN: "Sociaal Domein",
    FunctionGroup.KLANT_CONTACT_CENTRUM: "Klant Contact Centrum",
    FunctionGroup.PUBLIEKSZAKEN: "Publiekszaken",
    FunctionGroup.INSPECTIE: "Inspectie (Bouw, Milieu, Water, Leerplicht)",
    FunctionGroup.BOA: "BOA",
    FunctionGroup.BEHEER_ONDERHOUD: "Beheer en Onderhoud",
    FunctionGroup.BEHEER_SPORT_BEGRAAFPLAATS: "Beheer Sporthal, Zwembad, Begraafplaats",
}


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    departments: Mapped[list[Department]] = relationship(back_populates="organisation")


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[Organisation] = relationship(back_populates="departments")
    teams: Mapped[list[Team]] = relationship(back_populates="department")


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[Department] = relationship(back_populates="teams")
    members: Mapped[list[User]] = relationship(back_populates="team", foreign_keys="User.team_id")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    function_group: Mapped[FunctionGroup | None] = mapped_column(String(40))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A password someone else chose (the first administrator's, a reset): changed at first use.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # A one-time password (the administrator's reset) works until then, not after.
    password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The second factor (services/accounts/mfa.py): the TOTP secret, encrypted; set up but
    # not on until a first code is confirmed; the last time step used, never accepted again.
    totp_secret: Mapped[str | None] = mapped_column(String(300))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Withdrawing an alarm needs the PIN; the duress PIN looks the same to an onlooker but
    # keeps the alarm running silently.
    alarm_pin_hash: Mapped[str | None] = mapped_column(String(255))
    duress_pin_hash: Mapped[str | None] = mapped_column(String(255))

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    manager: Mapped[User | None] = relationship(remote_side=[id])


class ManagedTeam(Base):
    """A manager can lead several teams; this says which."""

    __tablename__ = "managed_teams"
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)


class LoginFailure(Base):
    """One failed login, kept for the growing delay (per account, per address), to tell the
    account's owner at their next login, and for the administrator. `username` as typed
    (normalised), known or not, so that an unknown name is treated as a known one."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_client_at", "client", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # A wrong code after a right password: counted against that login's tries, kept here in
    # the database, where a replayed cookie cannot reset it.
    second_factor: Mapped[bool] = mapped_column(Boolean, default=False)


class MfaRecoveryCode(Base):
    """One of the ten codes shown once at enrolment, as a hash; each works once."""

    __tablename__ = "mfa_recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MfaTrustedDevice(Base):
    """A browser where the second factor was given with "remember this device": its cookie's
    token, as a hash, until it expires."""

    __tablename__ = "mfa_trusted_devices"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeviceSession(Base):
    """One login on one device. The session cookie and the remember-me cookie carry only this
    row's random id, so deleting trust in a device is one UPDATE, effective on its next request."""

    __tablename__ = "device_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()
