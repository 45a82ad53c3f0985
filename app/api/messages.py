"""Send a short message to a colleague or a team."""

from __future__ import annotations

from flask_login import current_user
from pydantic import BaseModel

from app.api import bp
from app.api.endpoint import Id, Length, Strict, endpoint
from app.api.events import EventOut
from app.runtime import runtime
from services.events.log import event_message
from services.messages.service import TEXT, send_message


class MessageIn(Strict):
    user_id: Id | None = None
    team_id: Id | None = None
    text: str = Length(TEXT)


class SentOut(BaseModel):
    event: EventOut


@endpoint(
    bp,
    "/messages",
    "POST",
    "Send a message to one person or one team",
    body=MessageIn,
    status=201,
    returns=SentOut,
    errors=(404,),  # no such person or team in reach
)
def post_message(body: MessageIn):
    rt = runtime()
    with rt.db.uow() as uow:
        event = send_message(
            uow,
            rt.events,
            sender_id=current_user.id,
            text=body.text,
            user_id=body.user_id,
            team_id=body.team_id,
        )
    return {"event": event_message(event)}, 201  # the id is given at the commit
