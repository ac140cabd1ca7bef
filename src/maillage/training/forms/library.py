"""Forms of the library: catalogue filters, a new resource, its description, a new version."""

from django import forms

from maillage.partners.models import Organisation
from maillage.training.enums import Audience, ResourceKind, TrainingTheme
from maillage.training.files import allowed_extensions_label, max_upload_bytes


class LibraryFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = forms.ChoiceField(
        label="Thème",
        required=False,
        choices=[("", "Tous les thèmes"), *TrainingTheme.choices],
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous les types"), *ResourceKind.choices]
    )
    owner = forms.ChoiceField(label="Opérateur", required=False)
    audience = forms.ChoiceField(
        label="Diffusion", required=False, choices=[("", "Toutes"), *Audience.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = (
            Organisation.objects.filter(is_active=True, library_resources__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        self.fields["owner"].choices = [("", "Tous les opérateurs"), *owners]


class ResourceMetaForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    summary = forms.CharField(
        label="Résumé", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    kind = forms.ChoiceField(label="Type", choices=ResourceKind.choices)
    themes = forms.MultipleChoiceField(
        label="Thèmes",
        choices=TrainingTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(
        label="Diffusion",
        choices=Audience.choices,
        initial=Audience.PARTNERS,
        help_text=(
            "Tout public : visible sans compte. Membres du partenariat : comptes des opérateurs. "
            "Membres des comités : comités et coordination."
        ),
    )


class VersionForm(forms.Form):
    file = forms.FileField(
        label="Fichier",
        required=False,
        help_text="",
    )
    url = forms.URLField(label="Ou un lien", required=False, assume_scheme="https", max_length=500)
    note = forms.CharField(label="Ce qui change", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = max_upload_bytes() // (1024 * 1024)
        self.fields["file"].help_text = (
            f"Types acceptés : {allowed_extensions_label()} ; {size} Mo au plus. Le fichier est "
            "proposé au téléchargement, jamais ouvert dans le navigateur."
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError("Joignez un fichier ou indiquez un lien (l'un ou l'autre).")
        return data


class ResourceCreateForm(ResourceMetaForm, VersionForm):
    field_order = ["title", "summary", "kind", "themes", "audience", "file", "url", "note"]


class TransitionForm(forms.Form):
    to_status = forms.CharField(max_length=20)
    comment = forms.CharField(label="Commentaire", required=False, max_length=1000)
