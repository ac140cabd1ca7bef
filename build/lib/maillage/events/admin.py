"""Admin (staff only): read-mostly views of events and registrations; writes go through pages."""

from django.contrib import admin

from maillage.events.models import Event, EventOrganiser, Registration, SeatQuota


class OrganiserInline(admin.TabularInline):
    model = EventOrganiser
    extra = 0


class QuotaInline(admin.TabularInline):
    model = SeatQuota
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "department", "lead_organisation"]
    list_filter = ["status", "kind", "audience", "department"]
    search_fields = ["title"]
    inlines = [OrganiserInline, QuotaInline]
    readonly_fields = ["status", "published_at", "cancelled_at", "personal_data_purged_at"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "status", "sent_by_organisation", "created_at"]
    list_filter = ["status"]
    search_fields = ["email", "last_name"]
    readonly_fields = ["status", "event", "offer_expires_at", "anonymised_at"]
