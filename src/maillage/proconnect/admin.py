from django.contrib import admin

from maillage.proconnect.models import MembershipRequest, ProConnectIdentity


@admin.register(ProConnectIdentity)
class ProConnectIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "siret", "last_sign_in_at")
    search_fields = ("user__email", "siret")
    readonly_fields = ("sub", "created_at", "last_sign_in_at")


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "matched_by", "status", "created_at")
    list_filter = ("status", "matched_by")
    search_fields = ("user__email", "organisation__name")
