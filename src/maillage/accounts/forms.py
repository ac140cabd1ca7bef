"""Forms of the signed-in area: sign-in, invitations, members, preferences."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string

from maillage.accounts.enums import NotificationPreference, Role
from maillage.accounts.identifiers import identifier_normalise
from maillage.core.email import email_queue


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Après cinq essais, le compte est "
            "bloqué pendant une heure."
        ),
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        # The same spelling as django-axes counts under (AXES_USERNAME_CALLABLE).
        return identifier_normalise(self.cleaned_data.get("username"))


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset: the address normalised like sign-in, the email queued for the worker
    (never sent inside the request: an SMTP outage must not lose it nor slow the page)."""

    def clean_email(self):
        return identifier_normalise(self.cleaned_data.get("email"))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html = (
            render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        email_queue(subject=subject, body=body, to=[to_email], html=html)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(Role(r).value, Role(r).label) for r in roles]


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 8 caractères, pas uniquement des chiffres.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class PreferencesForm(forms.Form):
    notification_preference = forms.ChoiceField(
        label="E-mails à la réception d'une orientation",
        choices=NotificationPreference.choices,
        widget=forms.RadioSelect,
    )
