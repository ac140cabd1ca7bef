"""Fixtures of the events tests: an operator's manager and a helper to register people."""

import pytest

from maillage.events import services
from tests.factories import MembershipFactory


@pytest.fixture
def manager(db):
    return MembershipFactory(manager=True)


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Register a person through the service, running the on-commit hooks (emails queued)."""

    def do(event, name, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            registration, _created = services.registration_create(
                event=event,
                first_name=name.capitalize(),
                last_name="Test",
                email=f"{name}@exemple.fr",
                **extra,
            )
        return registration

    return do


@pytest.fixture
def work(run_worker, django_capture_on_commit_callbacks):
    """Run the worker until nothing is left, including the emails its jobs queue on commit
    (inside a test's transaction, on-commit hooks only run when captured)."""

    def do():
        for _ in range(10):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                run_worker()
            if not callbacks:
                return

    return do
