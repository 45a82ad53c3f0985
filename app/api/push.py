"""Web Push: the server's public key and this device's subscription."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from flask_login import current_user
from pydantic import BaseModel, Field

from app.api import bp
from app.api.endpoint import Strict, endpoint
from app.api.events import EventOut
from app.runtime import runtime
from services.clock import iso
from services.events.log import event_message
from services.push.subscriptions import (
    remove_subscription,
    save_subscription,
    send_test_notification,
    subscriptions_of,
    validate_subscription,
)
from services.push.webpush import application_server_key


class SubscriptionKeys(Strict):
    p256dh: str = Field(min_length=1, max_length=200)
    auth: str = Field(min_length=1, max_length=100)


class SubscriptionIn(Strict):
    """The JSON of the browser's PushSubscription.toJSON()."""

    endpoint: str = Field(min_length=1, max_length=1000)
    expirationTime: int | float | None = None
    keys: SubscriptionKeys


class SubscriptionRef(Strict):
    endpoint: str = Field(min_length=1, max_length=1000)


class KeyOut(BaseModel):
    public_key: str  # base64url, as pushManager.subscribe takes it


class SubscribedOut(BaseModel):
    id: int


class SubscriptionOut(BaseModel):
    id: int
    user_agent: str
    created_at: datetime
    last_success_at: datetime | None
    failures: int


class SubscriptionsOut(BaseModel):
    subscriptions: list[SubscriptionOut]


class TestPushOut(BaseModel):
    event: EventOut


@endpoint(
    bp,
    "/push/key",
    "GET",
    "The VAPID application server key for pushManager.subscribe",
    returns=KeyOut,
)
def push_key():
    return {"public_key": application_server_key(runtime().vapid)}


@endpoint(
    bp,
    "/push/subscriptions",
    "POST",
    "Register this device for Web Push",
    body=SubscriptionIn,
    status=201,
    returns=SubscribedOut,
    errors=(409,),  # an endpoint registered to someone else
)
def subscribe(body: SubscriptionIn):
    """The endpoint must be a known push service's (VELDWACHT_PUSH_HOSTS) or it is refused
    with 422; one registered to another account with 409, theirs left as it was. The owner
    registering their own again (new keys) refreshes it."""
    validate_subscription(
        body.endpoint,
        body.keys.p256dh,
        body.keys.auth,
        allow_http=current_app.config["PUSH_ALLOW_HTTP"],
        hosts=current_app.config["PUSH_HOSTS"],
    )
    rt = runtime()
    with rt.db.uow() as uow:
        saved = save_subscription(
            uow.session,
            rt.clock,
            user_id=current_user.id,
            endpoint=body.endpoint,
            p256dh=body.keys.p256dh,
            auth=body.keys.auth,
            user_agent=request.headers.get("User-Agent", ""),
        )
        return {"id": saved.id}, 201


@endpoint(
    bp,
    "/push/subscriptions",
    "DELETE",
    "Stop Web Push to this device",
    body=SubscriptionRef,
    status=204,
    errors=(404,),  # no such subscription of mine
)
def unsubscribe(body: SubscriptionRef):
    with runtime().db.uow() as uow:
        remove_subscription(uow.session, current_user.id, body.endpoint)
    return "", 204


@endpoint(
    bp,
    "/push/subscriptions",
    "GET",
    "My devices that receive Web Push",
    returns=SubscriptionsOut,
)
def list_subscriptions():
    with runtime().db.reader() as uow:
        found = subscriptions_of(uow.session, {current_user.id})
        return {
            "subscriptions": [
                {
                    "id": s.id,
                    "user_agent": s.user_agent,
                    "created_at": iso(s.created_at),
                    "last_success_at": iso(s.last_success_at),
                    "failures": s.failures,
                }
                for s in found
            ]
        }


@endpoint(
    bp,
    "/push/test",
    "POST",
    "Send an urgent test notification to all my devices",
    status=202,
    returns=TestPushOut,
)
def test_push():
    rt = runtime()
    with rt.db.uow() as uow:
        event = send_test_notification(uow, rt.events, current_user.id)
        payload = event_message(event)
    return {"event": payload}, 202
