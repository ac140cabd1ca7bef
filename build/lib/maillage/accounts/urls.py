from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from maillage.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.SignInView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oubli/",
        views.QueuedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/fait/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("espace/", views.home, name="home"),
    path("espace/organisation/", views.switch_organisation, name="switch_organisation"),
    path("espace/membres/", views.members, name="members"),
    path("espace/membres/inviter/", views.invite, name="invite"),
    path("espace/membres/<int:membership_id>/", views.member_detail, name="member_detail"),
    path("espace/preferences/", views.preferences, name="preferences"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
