"""The in-process broker: the default for a single worker on the embedded database."""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.events.log import Envelope

log = logging.getLogger(__name__)


class InProcessBroker:
    """Hands each committed event to every listener of this process (the websocket hub and
    the push dispatcher). A listener that raises is logged and the others still run."""

    def __init__(self):
        self._listeners: list[Callable[[Envelope], object]] = []

    def listen(self, listener: Callable[[Envelope], object]) -> None:
        self._listeners.append(listener)

    def publish(self, envelope: Envelope) -> None:
        for listener in self._listeners:
            try:
                listener(envelope)
            except Exception:  # one broken channel must not silence the others
                log.exception("event listener failed for event %s", envelope.id)
