"""Admin of the governance area (staff only): reference rows and a read view of the records."""

from django.contrib import admin

from maillage.governance.models import (
    Action,
    Committee,
    CommitteeMember,
    ConventionAmendment,
    ConventionPartyChange,
    Decision,
    Meeting,
)


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "convention"]
    inlines = [CommitteeMemberInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "starts_at", "status", "ics_sequence"]
    list_filter = ["committee", "status"]
    date_hierarchy = "starts_at"
    readonly_fields = ["ics_uid", "ics_sequence"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "status", "decided_on"]
    list_filter = ["committee", "status", "year"]
    search_fields = ["reference", "title"]
    # Numbers come from the service (lock + unique constraint), never typed by hand.
    readonly_fields = ["committee", "year", "sequence", "reference"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "owner_organisation", "due_on", "status", "progress"]
    list_filter = ["committee", "status"]
    search_fields = ["title"]


admin.site.register(ConventionAmendment)
admin.site.register(ConventionPartyChange)
