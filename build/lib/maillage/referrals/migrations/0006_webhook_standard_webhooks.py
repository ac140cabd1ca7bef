"""Standard Webhooks: a stable message id per delivery, secrets in the `whsec_` form, retries
by the worker (the delivery's own back-off date goes), a claim against concurrent posts.

Raw error texts already recorded become French summaries. Existing secrets keep the same key bytes: `whsec_` + base64 of the text the manager typed, so
that a receiver which had the old secret derives the same HMAC key.
"""

import base64
import re
import uuid

from django.db import migrations, models

import maillage.referrals.models


def _summary(raw):
    """The raw error texts of before (they mapped internal ports) as French summaries."""
    text = raw.lower()
    status = re.fullmatch(r"http (\d{3})", text)
    if status:
        return f"le serveur a répondu {status.group(1)}"
    if "refused" in text:
        return "le serveur a refusé la connexion"
    if "timed out" in text or "timeout" in text:
        return "le serveur n'a pas répondu à temps (5 s)"
    if "name or service not known" in text or "nodename" in text:
        return "nom d'hôte introuvable"
    if "certificate" in text or "ssl" in text:
        return "le certificat du serveur n'a pas pu être vérifié (connexion sécurisée refusée)"
    return "échec de la livraison (détail non conservé)"


def forwards(apps, schema_editor):
    Webhook = apps.get_model("referrals", "Webhook")
    for hook in Webhook.objects.exclude(secret__startswith="whsec_"):
        hook.secret = "whsec_" + base64.b64encode(hook.secret.encode()).decode()
        hook.save(update_fields=["secret"])
    WebhookDelivery = apps.get_model("referrals", "WebhookDelivery")
    for pk in WebhookDelivery.objects.filter(message_id__isnull=True).values_list("pk", flat=True):
        WebhookDelivery.objects.filter(pk=pk).update(message_id=f"msg_{uuid.uuid4().hex}")
    for delivery in WebhookDelivery.objects.exclude(last_error=""):
        delivery.last_error = _summary(delivery.last_error)
        delivery.save(update_fields=["last_error"])


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_event_date_indexes")]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="message_id",
            field=models.CharField(max_length=40, null=True, editable=False),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="message_id",
            field=models.CharField(
                default=maillage.referrals.models.message_id_new,
                editable=False,
                max_length=40,
                unique=True,
            ),
        ),
        migrations.RemoveField(model_name="webhookdelivery", name="next_attempt_at"),
        migrations.AddField(
            model_name="webhookdelivery",
            name="claimed_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
