"""Read-only admin: rules change only through the coordinator's editor (validation + revision)."""

from django.contrib import admin

from maillage.routing.models import DecisionCount, Rule, RuleList, RuleSetRevision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["rule_id", "order", "kind", "target", "valid_from", "valid_until"]


@admin.register(RuleList)
class RuleListAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "label"]


@admin.register(RuleSetRevision)
class RuleSetRevisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "author", "source", "comment"]


@admin.register(DecisionCount)
class DecisionCountAdmin(ReadOnlyAdmin):
    list_display = ["day", "primary", "rule", "channel", "count"]
    list_filter = ["channel", "primary"]
