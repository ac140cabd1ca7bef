"""Forms of the governance pages: they parse input; the services decide."""

from django import forms

from maillage.core.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    BoundedIntegerField,
    BoundedModelChoiceField,
)
from maillage.governance.enums import ActionStatus, AmendmentKind, DecisionStatus, MemberRole
from maillage.partners.models import Organisation
from maillage.training.models import Resource

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeetingForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    starts_at = BoundedDateTimeField(
        label="Début",
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    ends_at = BoundedDateTimeField(
        label="Fin", widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
    )
    location = forms.CharField(label="Lieu", max_length=300, required=False)
    video_url = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https"
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label="Motif de l'annulation", max_length=300, required=False)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="Intitulé du point", max_length=300)
    parent = forms.TypedChoiceField(
        label="Sous-point de", required=False, coerce=int, empty_value=None
    )
    presenter = forms.CharField(label="Présenté par", max_length=200, required=False)
    duration_minutes = BoundedIntegerField(
        label="Durée (minutes)", min_value=1, max_value=480, required=False
    )
    document_resource = BoundedModelChoiceField(
        label="Document de la bibliothèque partagée (facultatif)",
        queryset=Resource.objects.none(),
        required=False,
        empty_label="— aucun —",
        help_text="Les documents du point sont des ressources publiées de la bibliothèque.",
    )
    # The former free title and link: offered only on items that already have one.
    document_title = forms.CharField(label="Document (titre)", max_length=200, required=False)
    document_url = forms.URLField(label="Document (lien)", required=False, assume_scheme="https")
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    carry_over = forms.BooleanField(label="À reporter à la réunion suivante", required=False)

    def __init__(self, *args, parents=(), resources=None, legacy_document=False, **kwargs):
        super().__init__(*args, **kwargs)
        if resources is not None:
            self.fields["document_resource"].queryset = resources
        if not legacy_document:
            del self.fields["document_title"]
            del self.fields["document_url"]
        if parents is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].choices = [("", "— point principal —")] + [
                (item.pk, f"{item.number}. {item.title}") for item in parents
            ]


class MinutesForm(forms.Form):
    """General notes plus one text per agenda item (`item_<id>`), under the revision lock."""

    text = forms.CharField(
        label="Notes générales (ouverture, questions diverses)",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    base_revision = BoundedIntegerField(widget=forms.HiddenInput(), min_value=0)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=f"Compte rendu du point {item.number}",
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
            )
            if not self.is_bound and f"item_{item.pk}" not in self.initial:
                self.initial[f"item_{item.pk}"] = getattr(item, "minutes_text", "")

    def item_fields(self):
        """(agenda item, its bound field) in agenda order, for the template."""
        return [(item, self[f"item_{item.pk}"]) for item in self.items]

    def item_texts(self):
        # Only the items whose field was posted: a form without them leaves them as they are.
        return {
            item.pk: self.cleaned_data.get(f"item_{item.pk}", "")
            for item in self.items
            if f"item_{item.pk}" in self.data
        }


class DecisionForm(forms.Form):
    title = forms.CharField(label="Intitulé de la décision", max_length=300)
    text = forms.CharField(label="Texte", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    status = forms.ChoiceField(
        label="État", choices=DecisionStatus.choices, initial=DecisionStatus.PROPOSED
    )
    agenda_item = forms.TypedChoiceField(
        label="Point de l'ordre du jour", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, items=(), held=True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— aucun —")]
        for item in items:
            choices.append((item.pk, f"{item.number}. {item.title}"))
            choices.extend((c.pk, f"{c.number}. {c.title}") for c in item.sub_items)
        self.fields["agenda_item"].choices = choices
        if not held:
            self.fields[
                "status"
            ].help_text = "« Adoptée » sera possible une fois la réunion marquée comme tenue."


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Nouvel état", choices=DecisionStatus.choices)


class ActionForm(forms.Form):
    title = forms.CharField(label="Intitulé de l'action", max_length=300)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner_organisation = BoundedModelChoiceField(
        label="Organisation responsable", queryset=Organisation.objects.none()
    )
    owner_user = forms.TypedChoiceField(
        label="Personne responsable (facultatif)", required=False, coerce=int, empty_value=None
    )
    due_on = BoundedDateField(label="Échéance", widget=DateInput())
    decision = forms.TypedChoiceField(
        label="Décision liée", required=False, coerce=int, empty_value=None
    )
    agenda_item = forms.TypedChoiceField(
        label="Point de l'ordre du jour (facultatif)", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, organisations, people, decisions, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— aucun —")]
        for item in items:
            choices.append((item.pk, f"{item.number}. {item.title}"))
            choices.extend((c.pk, f"{c.number}. {c.title}") for c in item.sub_items)
        self.fields["agenda_item"].choices = choices
        self.fields["owner_organisation"].queryset = organisations
        self.fields["owner_user"].choices = [("", "— aucune —")] + [
            (seat.user_id, f"{seat.user} ({seat.organisation.name})") for seat in people
        ]
        self.fields["decision"].choices = [("", "— aucune —")] + [
            (d.pk, f"{d.reference} — {d.title}") for d in decisions
        ]


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label="État", choices=ActionStatus.choices)
    progress = BoundedIntegerField(label="Avancement (%)", min_value=0, max_value=100)
    note = forms.CharField(
        label="Point d'étape", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = BoundedDateField(label="Échéance", widget=DateInput(), required=False)


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=AmendmentKind.choices)
    title = forms.CharField(label="Objet", max_length=300)
    signed_on = BoundedDateField(label="Signé le", widget=DateInput())
    effective_on = BoundedDateField(label="En vigueur le", widget=DateInput())
    new_valid_until = BoundedDateField(
        label="Nouvelle fin de validité", widget=DateInput(), required=False
    )
    summary = forms.CharField(
        label="Résumé", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PartyChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Mouvement", choices=[("joined", "Adhésion"), ("left", "Retrait")]
    )
    organisation = BoundedModelChoiceField(
        label="Organisation", queryset=Organisation.objects.order_by("name")
    )
    on = BoundedDateField(label="Date", widget=DateInput())
    note = forms.CharField(label="Motif", max_length=300, required=False)


class SeatForm(forms.Form):
    """A seat on a committee; `email` only when adding (a seat keeps its person)."""

    email = forms.EmailField(
        label="Adresse e-mail de la personne",
        help_text="La personne doit avoir un compte actif dans l'organisation qu'elle représente.",
    )
    organisation = BoundedModelChoiceField(
        label="Organisation représentée", queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label="Rôle au comité", choices=MemberRole.choices)
    started_on = BoundedDateField(label="Début du mandat", widget=DateInput())
    ended_on = BoundedDateField(
        label="Fin du mandat (facultatif)", widget=DateInput(), required=False
    )

    def __init__(self, *args, organisations, adding=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if adding:
            del self.fields["ended_on"]
        else:
            del self.fields["email"]


class SeatEndForm(forms.Form):
    ended_on = BoundedDateField(label="Fin du mandat le", widget=DateInput())
