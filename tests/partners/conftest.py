"""The directory's demo: reference data plus every demo builder, as `maillage demo` makes it."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(reference):
    call_command("demo", "--no-serve", verbosity=0)
