"""PostgreSQL only: the name search index leads with the receiving operator (btree_gin), so a
search reads only that operator's matches instead of every operator's."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ref_rcv_search_trgm ON referrals_referral "
        "USING gin (receiver_organisation_id, search_name gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ref_snd_search_trgm ON referrals_referral "
        "USING gin (sender_organisation_id, search_name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS ref_rcv_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS ref_snd_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_inbox_indexes_with_id")]
    operations = [migrations.RunPython(forwards, backwards)]
