"""The second factor of those who read aggressors' personal data (managers, the coordinator,
the administrator; which roles must have one is configuration): a TOTP code from an
authenticator app (RFC 6238), ten recovery codes shown once, and a device remembered for a
while so that the code is not asked on every login there.

The TOTP secret must be readable to check a code, so it is stored encrypted with a key derived
from the server's secret key: a copy of the database alone does not give anyone the codes.
Recovery codes and remembered devices are stored as hashes, as passwords are. A code is used
once: its time step is kept, and the same or an earlier step is refused."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from services.accounts.models import MfaRecoveryCode, MfaTrustedDevice, User
from services.clock import Clock
from services.errors import Conflict, Invalid

RECOVERY_CODES = 10
REMEMBER_DEVICE = timedelta(days=30)
STEP_SECONDS = 30
CODE = "^[0-9]{6}$"


class SecretBox:
    """Encrypts TOTP secrets with a key derived from the server's secret key."""

    def __init__(self, server_secret: str):
        key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"veldwacht totp secrets"
        ).derive(server_secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str | None:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:  # the server's secret key changed: this factor is lost
            return None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Enrolment:
    secret: str  # typed into the app by hand when the QR code cannot be scanned
    uri: str  # otpauth://, what the QR code says
    qr_svg: str


def start_enrolment(session: Session, box: SecretBox, *, user: User, issuer: str) -> Enrolment:
    """A new secret, pending until a code from it is confirmed; one already on does not
    change (an administrator resets a lost factor)."""
    if user.totp_enabled_at is not None:
        raise Conflict("Tweestapsverificatie staat al aan.")
    secret = pyotp.random_base32()
    user.totp_secret = box.seal(secret)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, xmldecl=False, svgclass=None)
    return Enrolment(secret=secret, uri=uri, qr_svg=out.getvalue().decode())


def _matching_step(box: SecretBox, user: User, code: str, now: datetime) -> int | None:
    """The time step `code` belongs to (this one or a neighbour, for a phone's clock a little
    off), if it is right and newer than the last one used."""
    secret = box.open(user.totp_secret) if user.totp_secret else None
    if secret is None:
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // STEP_SECONDS
    for candidate in (step, step - 1, step + 1):
        fresh = user.totp_last_step is None or candidate > user.totp_last_step
        if fresh and secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def confirm_enrolment(
    session: Session, box: SecretBox, clock: Clock, *, user: User, code: str
) -> list[str]:
    """Turn the factor on with a first right code; the recovery codes, shown this once."""
    if user.totp_enabled_at is not None:
        raise Conflict("Tweestapsverificatie staat al aan.")
    step = _matching_step(box, user, code.strip(), clock.now()) if user.totp_secret else None
    if step is None:
        raise Invalid(
            "Deze code klopt niet. Kijk in je app naar de code van nu.", {"code": "onjuist"}
        )
    user.totp_last_step, user.totp_enabled_at = step, clock.now()
    return _new_recovery_codes(session, user)


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    session.add_all(MfaRecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    return codes


def verify_second_factor(
    session: Session, box: SecretBox, clock: Clock, *, user: User, code: str
) -> bool:
    """A TOTP code (used once) or an unused recovery code (then used up)."""
    code = code.strip().lower()
    if len(code) == 6 and code.isdigit():
        step = _matching_step(box, user, code, clock.now())
        if step is None:
            return False
        user.totp_last_step = step
        return True
    used = session.execute(
        update(MfaRecoveryCode)
        .where(
            MfaRecoveryCode.user_id == user.id,
            MfaRecoveryCode.code_hash == _digest(code),
            MfaRecoveryCode.used_at.is_(None),
        )
        .values(used_at=clock.now())
    ).rowcount
    return used == 1


def remember_device(session: Session, clock: Clock, *, user: User) -> str:
    """A token for this browser's cookie: the code is not asked there for REMEMBER_DEVICE."""
    token = secrets.token_urlsafe(32)
    session.add(
        MfaTrustedDevice(
            id=_digest(token), user_id=user.id, expires_at=clock.now() + REMEMBER_DEVICE
        )
    )
    return token


def is_remembered(session: Session, clock: Clock, *, user: User, token: str | None) -> bool:
    if not token:
        return False
    found = session.get(MfaTrustedDevice, _digest(token))
    return found is not None and found.user_id == user.id and found.expires_at > clock.now()


def reset(session: Session, *, user: User) -> None:
    """A lost phone: the factor, its recovery codes and remembered devices go; the person
    enrols again at their next login."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    session.execute(delete(MfaTrustedDevice).where(MfaTrustedDevice.user_id == user.id))


@dataclass(frozen=True)
class MfaPolicy:
    """Which roles must have a second factor (configuration)."""

    roles: frozenset[str]

    def required_for(self, user: User) -> bool:
        return user.role in self.roles

    def step_for(self, user: User) -> str | None:
        """ "code" when a code is asked now, "enrol" when one must be set up first, None."""
        if user.totp_enabled_at is not None:
            return "code"
        return "enrol" if self.required_for(user) else None
