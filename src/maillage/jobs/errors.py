"""Errors a task raises to say, in French, why it could not be done this time."""


class TaskFailure(Exception):
    """A failure whose French message is shown as-is in « Tâches en échec »."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message
        # A permanent failure is parked at once: retrying would not change the answer.
        self.permanent = permanent
