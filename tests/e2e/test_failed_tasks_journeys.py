"""« Tâches en échec » in a browser: a coordinator finds a parked webhook delivery with its
French reason, relaunches it once its address is fixed; the page is accessible at 360 px."""

from django.core.management import call_command
from playwright.sync_api import expect

from maillage.partners.models import Organisation
from maillage.referrals.enums import DeliveryStatus
from maillage.referrals.models import Webhook, WebhookDelivery
from maillage.referrals.services.webhooks import secret_new
from maillage.referrals.webhooks import deliver_webhook


def _parked_delivery():
    afdas = Organisation.objects.get(slug="afdas")
    # An internal address, as an attacker would register: refused at delivery, parked at once.
    hook = Webhook.objects.create(
        organisation=afdas, url="https://127.0.0.1:9/hook", secret=secret_new()
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="referral.sent", payload={"event": "referral.sent"}
    )
    deliver_webhook.enqueue(delivery_id=delivery.pk)
    call_command("worker", "--batch", verbosity=0)
    return delivery


def test_a_coordinator_sees_and_relaunches_a_parked_task_on_a_phone(
    demo_site, phone_page, sign_in, assert_accessible
):
    delivery = _parked_delivery()
    sign_in(phone_page, demo_site.url, "coordination@region-idf.demo")
    phone_page.get_by_role("link", name="Tâches en échec").click()
    card = phone_page.get_by_role("region", name="Livraison d'un webhook")
    expect(card).to_contain_text("adresse refusée : elle désigne un réseau interne")
    width = phone_page.evaluate("window.innerWidth")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(phone_page)
    card.get_by_role("button", name="Relancer").click()
    expect(phone_page.get_by_text("La tâche est relancée")).to_be_visible()
    call_command("worker", "--batch", verbosity=0)  # still refused: parked again, not lost
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    phone_page.reload()
    expect(phone_page.get_by_role("region", name="Livraison d'un webhook")).to_be_visible()
