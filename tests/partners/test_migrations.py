"""The migration that gives existing rows their public ids: one distinct UUID each."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("partners", "0001_initial")]
AFTER = [("partners", "0002_directory_interop")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_distinct_public_ids():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        department = old.get_model("partners", "Department").objects.create(
            code="93", name="Seine-Saint-Denis", region_code="11", region_name="Île-de-France"
        )
        organisation_model = old.get_model("partners", "Organisation")
        for slug in ("a", "b", "c"):
            organisation = organisation_model.objects.create(slug=slug, name=slug, kind="operator")
            old.get_model("partners", "Site").objects.create(
                organisation=organisation, name=f"Site {slug}", department=department
            )
            old.get_model("partners", "ServiceOffer").objects.create(
                organisation=organisation, title=f"Offre {slug}"
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    new = MigrationExecutor(connection).loader.project_state(AFTER).apps
    for name in ("Organisation", "Site", "ServiceOffer"):
        ids = list(new.get_model("partners", name).objects.values_list("public_id", flat=True))
        assert len(ids) == 3 and None not in ids and len(set(ids)) == 3, name
