from django.contrib import admin

from maillage.partners.models import (
    Commune,
    Convention,
    ConventionSignatory,
    Department,
    Organisation,
    OrganisationName,
    ServiceOffer,
    Site,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region_name"]


class SiteInline(admin.StackedInline):
    model = Site
    extra = 0


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "is_active", "accepts_referrals"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    inlines = [OrganisationNameInline, SiteInline]


@admin.register(ServiceOffer)
class ServiceOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "is_active"]
    list_filter = ["organisation"]


class SignatoryInline(admin.TabularInline):
    model = ConventionSignatory
    extra = 0


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["title", "signed_on", "valid_from", "valid_until"]
    inlines = [SignatoryInline]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "department", "postcodes", "precision"]
    list_filter = ["department", "precision"]
    search_fields = ["name", "insee_code", "postcodes"]
