"""Domain errors. The delivery layer maps each kind to one HTTP status; services never know HTTP."""


class DomainError(Exception):
    """Base class; `message` is shown to the user, `fields` names inputs that were wrong."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotAuthenticated(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class NotFound(DomainError):
    pass


class Invalid(DomainError):
    pass


class Conflict(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


class Malformed(DomainError):
    """The input could not even be read (not JSON, not UTF-8)."""


class Busy(DomainError):
    """The database's write lock could not be had in time (another writer holds it). Nothing
    was stored; the same request can simply be sent again."""

    retry_after = 2  # seconds

    def __init__(
        self,
        message: str = "Het systeem is even bezet; niets is opgeslagen. "
        "Probeer het over een paar seconden opnieuw.",
        fields: dict[str, str] | None = None,
    ):
        super().__init__(message, fields)
