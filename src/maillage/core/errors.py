"""Domain errors: raised by services, shown as a French message on a page or a 4xx in the API."""


class DomainError(Exception):
    """A business rule refused the operation; `message` is French and tells what to do."""

    status_code = 400

    def __init__(self, message, *, code="invalid", field=None):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field


class Forbidden(DomainError):
    """Named apart from Django's PermissionDenied: this one is a domain refusal (a 403 with a
    French reason), handled like every DomainError."""

    status_code = 403


class Conflict(DomainError):
    status_code = 409
