"""The routing questionnaire (public and counsellor) and the coordinator's editing forms."""

from django import forms

from maillage.core.forms import BoundedDateField, BoundedIntegerField
from maillage.partners.models import Department
from maillage.routing.builder import ConditionsMixin, original_values
from maillage.routing.profile import FIELDS, STATUSES, Profile, ProfileError

OTHER_DEPARTMENTS = (
    [f"{n:02d}" for n in range(1, 20)]
    + ["2A", "2B"]
    + [f"{n:02d}" for n in range(21, 96)]
    + [f"{n}" for n in range(971, 977)]
)
YES = "oui"


def _describe_help(form):
    """Tie each help text to its field for screen readers (ids as _field.html writes them)."""
    for name, field in form.fields.items():
        if field.help_text:
            field.widget.attrs["aria-describedby"] = f"id_{name}-aide"


# The counsellor fills the form for someone else: questions about "la personne", not "vous".
COUNSELLOR_LABELS = {
    "department": "Département où habite la personne",
    "status": "Sa situation",
    "age": "Âge de la personne (facultatif)",
    "disability": "La personne a une reconnaissance de handicap (RQTH ou équivalent)",
    "cadre": "La personne est cadre",
    "temp_worker": "La personne travaille en intérim",
    "employer_group": "Son employeur (facultatif)",
    "idcc": "Numéro de sa convention collective, IDCC (facultatif)",
    "commune": "Sa commune ou son code postal (facultatif)",
}
COUNSELLOR_HELP = {
    "idcc": (
        "Il figure sur son bulletin de paie. C'est un indice de son secteur : "
        "confirmez-le avec la personne."
    ),
    "commune": "Pour lui indiquer les accueils les plus proches, avec leur distance.",
}


def department_choices(*, staff=False):
    regional = [(d.code, f"{d.name} ({d.code})") for d in Department.objects.all()]
    known = {code for code, _label in regional}
    others = [(code, code) for code in OTHER_DEPARTMENTS if code not in known]
    return [
        ("", "Choisissez le département" if staff else "Choisissez votre département"),
        ("Île-de-France", regional),
        ("Autres départements (hors Île-de-France)", others),
    ]


class RoutingForm(forms.Form):
    """Rendering and first checks; Profile.from_query has the last word (same as CLI and API)."""

    department = forms.ChoiceField(label="Département où vous habitez")
    status = forms.ChoiceField(
        label="Votre situation",
        choices=list(STATUSES.items()),
        widget=forms.RadioSelect,
    )
    age = BoundedIntegerField(
        label="Votre âge (facultatif)",
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    disability = forms.BooleanField(
        label="J'ai une reconnaissance de handicap (RQTH ou équivalent)", required=False
    )
    cadre = forms.BooleanField(label="Je suis cadre", required=False)
    temp_worker = forms.BooleanField(label="Je travaille en intérim", required=False)
    employer_group = forms.ChoiceField(label="Votre employeur (facultatif)", required=False)
    idcc = forms.CharField(
        label="Numéro de votre convention collective, IDCC (facultatif)",
        required=False,
        max_length=4,
        help_text=(
            "Il figure sur votre bulletin de paie. C'est un indice de votre secteur : "
            "le conseiller le confirmera avec vous."
        ),
        widget=forms.TextInput(attrs={"list": "idcc-suggestions", "inputmode": "numeric"}),
    )

    # Not a routing answer: the result page uses it to list the nearest sites.
    commune = forms.CharField(
        label="Votre commune ou code postal (facultatif)",
        required=False,
        max_length=100,
        help_text="Pour vous indiquer les accueils les plus proches, avec leur distance.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )

    def __init__(self, *args, suggestions, with_date=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer_groups = {value for value, _label in suggestions["employer_groups"]}
        self.fields["department"].choices = department_choices(staff=with_date)
        self.fields["employer_group"].choices = [
            ("", "Autre employeur / je ne sais pas"),
            *list(suggestions["employer_groups"]),
        ]
        for name in ("disability", "cadre", "temp_worker"):
            self.fields[name].widget.check_test = lambda value: (
                str(value).lower()
                in (
                    "oui",
                    "true",
                    "on",
                    "1",
                )
            )
            self.fields[name].widget.attrs["value"] = YES
        if with_date:
            for name, label in COUNSELLOR_LABELS.items():
                self.fields[name].label = label
            for name, text in COUNSELLOR_HELP.items():
                self.fields[name].help_text = text
            self.fields["date"] = BoundedDateField(
                label="Date de la décision (facultatif, par défaut aujourd'hui)",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        _describe_help(self)

    def profile(self):
        """The validated Profile, or None with the errors attached to the fields."""
        if not self.is_valid():
            return None
        try:
            return Profile.from_query(self.data, employer_groups=self.employer_groups)
        except ProfileError as exc:
            for field, message in exc.errors:
                self.add_error(field if field in FIELDS else None, message)
            return None


class RuleForm(ConditionsMixin, forms.Form):
    """A rule: its conditions as blocks (the editing path), or as YAML when blocks cannot say it."""

    id = forms.CharField(label="Identifiant", max_length=20)
    order = BoundedIntegerField(
        label="Ordre (les règles sont essayées par ordre croissant)",
        min_value=-1_000_000,
        max_value=1_000_000,
    )
    kind = forms.ChoiceField(label="Type")
    target = forms.ChoiceField(label="Opérateur suggéré")
    valid_from = BoundedDateField(
        label="En vigueur du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = BoundedDateField(
        label="En vigueur jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    explanation = forms.CharField(
        label="Explication montrée à la personne",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "« {opérateur} » est remplacé par le nom de l'opérateur à la date de la décision "
            "(Pôle emploi en 2023, France Travail depuis 2024)."
        ),
    )
    comment = forms.CharField(label="Motif de la modification", max_length=300)
    preview_date = BoundedDateField(
        label="Date de l'aperçu (par défaut aujourd'hui)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    base_revision = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, kinds, targets, snapshot, departments, original_when=None, yaml=False, **kw
    ):
        super().__init__(*args, **kw)
        self.fields["kind"].choices = kinds
        self.fields["target"].choices = targets
        self.original_when = original_when or []
        self.yaml = yaml
        if yaml:
            self.fields["when"] = forms.CharField(
                label="Conditions (YAML : une condition par ligne, toutes doivent être vraies)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
                help_text=(
                    "Exemples : « - {field: status, op: in, value: [job_seeker]} », "
                    "« - {field: age, op: between, value: [16, 25]} », "
                    "« - any: [{…}, {…}] » pour « l'une ou l'autre »."
                ),
            )
        else:
            self.original_values = original_values(self.original_when)
            self.add_condition_fields(snapshot=snapshot, departments=departments)
        _describe_help(self)

    def main_fields(self):
        names = ("id", "order", "kind", "target", "valid_from", "valid_until")
        return [self[name] for name in names]


class RuleListForm(forms.Form):
    label = forms.CharField(label="Libellé", max_length=200)
    items = forms.CharField(
        label="Valeurs (une par ligne : valeur ; libellé)",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    valid_from = BoundedDateField(
        label="En vigueur du (vide : depuis toujours)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = BoundedDateField(
        label="En vigueur jusqu'au (vide : sans fin ; hors de ses dates, la liste est vide)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    comment = forms.CharField(label="Motif de la modification", max_length=300)
    preview_date = BoundedDateField(
        label="Date de l'aperçu (par défaut aujourd'hui)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    base_revision = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    def clean_items(self):
        items = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            value, _sep, label = line.partition(";")
            if not value.strip():
                raise forms.ValidationError(f"Ligne {number} : la valeur est vide.")
            items.append({"value": value.strip(), "label": label.strip()})
        return items
