"""`maillage token create|revoke`: API tokens for an operator's system."""

from django.core.management.base import BaseCommand, CommandError

from maillage.accounts.models import ApiToken, User
from maillage.accounts.services import api_token_create, api_token_revoke
from maillage.core.errors import DomainError
from maillage.partners.models import Organisation


class Command(BaseCommand):
    help = "Crée ou révoque un jeton d'API."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Crée un jeton et l'affiche une seule fois.")
        create.add_argument("--user", required=True, help="Adresse e-mail de l'utilisateur.")
        create.add_argument(
            "--organisation", help="Slug de l'organisation (par défaut la première)."
        )
        create.add_argument("--name", default="", help="Nom du jeton (pour s'y retrouver).")
        revoke = sub.add_parser("revoke", help="Révoque un jeton.")
        revoke.add_argument("token", nargs="?", help="Le jeton ou son préfixe (12 caractères).")
        revoke.add_argument("--user", help="Révoque tous les jetons de cet utilisateur.")

    def handle(self, *args, **options):
        if options["action"] == "create":
            return self._create(options)
        return self._revoke(options)

    def _create(self, options):
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"Aucun utilisateur avec l'adresse {options['user']}.")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Aucune organisation « {options['organisation']} ».")
        try:
            _token, raw = api_token_create(
                user=user, organisation=organisation, name=options["name"]
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(raw)

    def _revoke(self, options):
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        if options["token"]:
            tokens = tokens.filter(prefix=options["token"][:12])
        elif options["user"]:
            tokens = tokens.filter(user__email__iexact=options["user"])
        else:
            raise CommandError("Donnez un jeton (ou son préfixe) ou --user.")
        count = 0
        for token in tokens:
            api_token_revoke(token=token)
            count += 1
        if not count:
            raise CommandError("Aucun jeton actif ne correspond.")
        self.stdout.write(f"{count} jeton(s) révoqué(s).")
