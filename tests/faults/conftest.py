import pytest

from tests.faults.harness import TEST_BROKER_URL, Instance


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(params=["database", "redis"])
def task_backend(request):
    """The fault tests of the runtime run on both queues: the database and RQ on Redis."""
    return request.param


@pytest.fixture
def instance_factory(tmp_path, request):
    made = []
    # Tests that take `task_backend` run on it; the others keep the database queue.
    backend = (
        request.getfixturevalue("task_backend")
        if "task_backend" in request.fixturenames
        else "database"
    )

    def make(name="instance", **kwargs):
        if backend == "redis":
            kwargs.setdefault("broker_url", TEST_BROKER_URL)
        instance = Instance(tmp_path / name, **kwargs)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.stop_all()
