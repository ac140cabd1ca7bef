import pytest

from tests.faults.harness import Instance


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def instance_factory(tmp_path):
    made = []

    def make(name="instance", **kwargs):
        instance = Instance(tmp_path / name, **kwargs)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.stop_all()
