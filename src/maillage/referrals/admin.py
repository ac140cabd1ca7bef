"""Admin of the referrals area: only the receivers' reminder settings (referrals are personal
data and change only through the services)."""

from django.contrib import admin

from maillage.referrals.models import ReceiverSettings


@admin.register(ReceiverSettings)
class ReceiverSettingsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "reminder_interval_business_days")
    autocomplete_fields = ("organisation",)
