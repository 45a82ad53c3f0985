"""Register, list and forget push subscriptions."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.accounts.models import User
from services.clock import Clock
from services.db import UnitOfWork, lock_key
from services.errors import Conflict, Invalid, NotFound
from services.events.audience import user_key
from services.events.log import EventLog
from services.events.models import Event
from services.push.endpoints import DEFAULT_PUSH_HOSTS, endpoint_problem
from services.push.models import PushSubscription


def _b64url_len(value: str, field: str) -> int:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError) as failure:
        raise Invalid(
            "Ongeldige sleutel in het abonnement.", {field: "geen base64url"}
        ) from failure


def validate_subscription(
    endpoint: str,
    p256dh: str,
    auth: str,
    *,
    allow_http: bool,
    hosts: Iterable[str] = DEFAULT_PUSH_HOSTS,
) -> None:
    """A browser's subscription has an https endpoint at a known push service (endpoints.py),
    a 65-byte uncompressed P-256 key and a 16-byte auth secret. Anything else cannot be
    encrypted to, and an arbitrary URL would let a user make the server post to hosts of
    their choosing."""
    problem = endpoint_problem(endpoint, hosts, allow_http=allow_http)
    if problem is not None:
        raise Invalid(
            "Het push-adres (endpoint) wordt niet aanvaard: {reason}.",
            {"endpoint": problem},
            reason=problem,
        )
    if _b64url_len(p256dh, "keys.p256dh") != 65:
        raise Invalid("Ongeldige sleutel in het abonnement.", {"keys.p256dh": "geen P-256-sleutel"})
    if _b64url_len(auth, "keys.auth") != 16:
        raise Invalid("Ongeldig geheim in het abonnement.", {"keys.auth": "moet 16 bytes zijn"})


def save_subscription(
    session: Session,
    clock: Clock,
    *,
    user_id: int,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str,
) -> PushSubscription:
    """Create, or refresh the owner's own (new keys: the browser rotated them). An endpoint
    belongs to one device and one account: one registered to someone else is refused, and
    theirs stays as it was. Knowing a colleague's endpoint must not be enough to take their
    pushes; the app forgets its subscription on logout (DELETE, then a new one from the
    browser), so the next person on a handed-over phone registers a new endpoint.
    The endpoint is locked before it is looked for: the page and the service worker saving
    it at once make one row, not a unique-key failure."""
    lock_key(session, "push-endpoint", endpoint)
    found = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if found is None:
        found = PushSubscription(
            endpoint=endpoint, user_id=user_id, created_at=clock.now(), failures=0
        )
        session.add(found)
    elif found.user_id != user_id:
        raise Conflict(
            "Dit push-adres (endpoint) hoort al bij een ander account. Log op dit apparaat uit "
            "en weer in, en zet dan meldingen aan.",
            {"endpoint": "al in gebruik"},
        )
    found.p256dh = p256dh
    found.auth = auth
    found.user_agent = user_agent[:300]
    session.flush()
    return found


def remove_subscription(session: Session, user_id: int, endpoint: str) -> None:
    count = session.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == user_id, PushSubscription.endpoint == endpoint
        )
    ).rowcount
    if count == 0:
        raise NotFound("Dit apparaat had geen meldingen aan.")


def forget_devices_of(session: Session, user_id: int) -> int:
    """A leaver's devices: every subscription goes (with its pending deliveries), so nothing
    more reaches a phone that may no longer be theirs. Returns how many there were."""
    return session.execute(
        delete(PushSubscription).where(PushSubscription.user_id == user_id)
    ).rowcount


def subscriptions_of(session: Session, user_ids: set[int]) -> list[PushSubscription]:
    """The devices of these users; a deactivated account's devices get nothing."""
    if not user_ids:
        return []
    return list(
        session.scalars(
            select(PushSubscription)
            .join(User)
            .where(PushSubscription.user_id.in_(user_ids), User.active.is_(True))
            .order_by(PushSubscription.id)
        )
    )


def send_test_notification(uow: UnitOfWork, events: EventLog, user_id: int) -> Event:
    """A device check that travels exactly like an alarm (urgent, pushed even while the app is
    open), so a phone that cannot receive alarms is found before it matters."""
    if not subscriptions_of(uow.session, {user_id}):
        raise Invalid("Zet eerst meldingen aan op dit apparaat.")
    return events.record(
        uow,
        type="push.test",
        audience={user_key(user_id)},
        urgent=True,
        push_always=True,
        actor_id=user_id,
        title="Testmelding",
        body="Dit apparaat kan meldingen ontvangen.",
    )
