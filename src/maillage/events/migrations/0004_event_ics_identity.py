"""A stored calendar identity per event: a UUID for the UID and a SEQUENCE.

The UUID column is added nullable, filled row by row (each its own UUID), then made unique.
"""

import uuid

from django.db import migrations, models


def fill_uids(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.filter(ics_uid__isnull=True).only("pk"):
        Event.objects.filter(pk=event.pk).update(ics_uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("events", "0003_registration_link_resent_at")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="ics_uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="event",
            name="ics_sequence",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="event",
            name="ics_uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
