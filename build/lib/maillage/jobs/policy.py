"""How each background task is retried, parked and attributed: declared next to the task.

A task signals failure by raising. The worker then retries it with exponential back-off and
jitter, up to the task's maximum number of attempts, and finally parks it as failed with a
French reason, shown in « Tâches en échec » with a « Relancer » button.

    @retry_policy(max_attempts=8, base_seconds=30, on_parked=_mark_failed, owner=_owner)
    @task()
    def deliver_webhook(*, delivery_id): ...

`on_parked(**kwargs)` runs (in its own transaction) when the task is parked, so that a domain
row can say so (a webhook delivery marked failed). `owner(**kwargs)` returns the id of the
organisation whose managers may see and retry the parked task (None: coordinators only).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_seconds: float = 30.0
    max_seconds: float = 6 * 3600.0
    on_parked: Callable[..., Any] | None = None
    owner: Callable[..., int | None] | None = None
    # What the task is, for a person reading « Tâches en échec » (« Envoi d'un e-mail »).
    label: str = ""

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before attempt number `attempt + 1` (full jitter, capped)."""
        from django.conf import settings

        ceiling = min(self.max_seconds, self.base_seconds * (2 ** max(0, attempt - 1)))
        # Fault tests shrink every delay alike (MAILLAGE_RETRY_DELAY_SCALE=0.01).
        ceiling *= getattr(settings, "MAILLAGE_RETRY_DELAY_SCALE", 1.0)
        return random.uniform(ceiling / 2, ceiling)


DEFAULT_POLICY = RetryPolicy()
_POLICIES: dict[str, RetryPolicy] = {}


def retry_policy(**options):
    """Declare the retry policy of a task (decorate the object that `@task()` returned)."""

    def register(task):
        _POLICIES[task.module_path] = RetryPolicy(**options)
        return task

    return register


def policy_for(task_path: str) -> RetryPolicy:
    return _POLICIES.get(task_path, DEFAULT_POLICY)
