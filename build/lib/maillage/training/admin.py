"""Admin of cross-training (staff only): read the library and the sessions, fix data."""

from django.contrib import admin

from maillage.training.models import Resource, ResourceTransition, ResourceVersion, TrainingSession


class VersionInline(admin.TabularInline):
    model = ResourceVersion
    extra = 0
    fields = ["number", "original_name", "url", "size", "note", "created_at", "download_count"]
    readonly_fields = fields


class TransitionInline(admin.TabularInline):
    model = ResourceTransition
    extra = 0
    fields = ["created_at", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "kind", "audience", "status", "download_count"]
    list_filter = ["status", "audience", "kind", "owner"]
    search_fields = ["title", "summary"]
    # States change through the services (transition log + audit), never by hand here.
    readonly_fields = ["status", "published_at", "download_count", "created_by"]
    exclude = ["search_vector"]
    inlines = [VersionInline, TransitionInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "theme", "hours"]
    list_filter = ["theme"]
    search_fields = ["event__title"]
    raw_id_fields = ["event"]
    filter_horizontal = ["hosts", "resources"]
