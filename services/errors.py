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
