"""Forms of the directory: filters (public) and an organisation's profile (coordinators)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import BoundedIntegerField, bounded_formfield
from maillage.partners.enums import OrganisationKind, Public
from maillage.partners.models import Department, Organisation, Site


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom"), required=False, max_length=100)
    public = forms.ChoiceField(
        label=_("Public"), required=False, choices=[("", _("Tous les publics")), *Public.choices]
    )
    department = forms.ChoiceField(label=_("Département"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous")), *OrganisationKind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Tous les départements"))] + [
            (d.code, str(d)) for d in Department.objects.order_by("code")
        ]


class OrganisationForm(forms.ModelForm):
    # A business year at most: beyond it the delay means nothing (and the date overflows).
    referral_reminder_business_days = BoundedIntegerField(
        label=_("Relance après (jours ouvrés)"), min_value=1, max_value=250, initial=5
    )
    referral_expiry_business_days = BoundedIntegerField(
        label=_("Expiration après (jours ouvrés)"), min_value=1, max_value=250, initial=30
    )
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    publics = forms.MultipleChoiceField(
        label=_("Publics"),
        choices=Public.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        formfield_callback = bounded_formfield
        fields = [
            "slug",
            "name",
            "kind",
            "public_summary",
            "publics",
            "description",
            "history",
            "website",
            "departments",
            "active_from",
            "active_until",
            "is_active",
            "accepts_referrals",
            "referral_reminder_business_days",
            "referral_expiry_business_days",
        ]
        widgets = {
            "departments": forms.CheckboxSelectMultiple,
            "active_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "active_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class OrganisationProfileForm(forms.ModelForm):
    """What an operator's managers keep up to date themselves."""

    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        formfield_callback = bounded_formfield
        fields = ["public_summary", "description", "website"]


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        formfield_callback = bounded_formfield
        fields = [
            "name",
            "address",
            "postcode",
            "city",
            "department",
            "phone",
            "email",
            "opening_hours",
        ]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"]
        duplicate = Site.objects.filter(organisation=self.organisation, name=name).exclude(
            pk=self.instance.pk
        )
        if duplicate.exists():
            raise forms.ValidationError(_("Un autre site de l'organisation porte déjà ce nom."))
        return name
