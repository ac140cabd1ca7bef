"""Errors a task raises to say, in French, why it could not be done this time."""


class TaskFailure(Exception):
    """A failure whose French message is shown as-is in « Tâches en échec »."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message
        # A permanent failure is parked at once: retrying would not change the answer.
        self.permanent = permanent


def error_describe(exc: BaseException) -> str:
    """A French sentence for a failure, without internal details (no addresses, no ports)."""
    import smtplib
    import socket

    from django.db import DatabaseError

    if isinstance(exc, TaskFailure):
        return exc.message
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "le serveur d'e-mails a refusé l'adresse du destinataire"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "le serveur d'e-mails a refusé les identifiants de Maillage"
    if isinstance(exc, smtplib.SMTPException):
        return "le serveur d'e-mails a interrompu l'envoi"
    if isinstance(exc, ConnectionRefusedError):
        return "le serveur a refusé la connexion"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "le serveur n'a pas répondu à temps"
    if isinstance(exc, socket.gaierror):
        return "nom d'hôte introuvable"
    if isinstance(exc, OSError):
        return "le réseau ou le serveur distant est injoignable"
    if isinstance(exc, DatabaseError):
        return "la base de données était indisponible"
    return f"erreur inattendue ({type(exc).__name__}) : voir le journal technique"


def error_is_permanent(exc: BaseException) -> bool:
    """Retrying would give the same answer: park at once."""
    import smtplib

    if isinstance(exc, TaskFailure):
        return exc.permanent
    return isinstance(exc, (smtplib.SMTPRecipientsRefused, TypeError, LookupError))


def error_is_outage(exc: BaseException) -> bool:
    """The database itself failed: the attempt does not count against the task."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))
