"""The demo speaks French: every page, email and export of the demo data is read like a person
would, and none shows an operator's slug, an ISO date in running text, an English month name,
or (in a plain-text email) an HTML entity; every link of an email resolves."""

import html
import re
from html.parser import HTMLParser
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core import french
from maillage.core.reference import reference_load_all
from maillage.partners.models import Organisation

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w-])")
ENGLISH_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)
# A number of thousands written without its separator ("378000"); postcodes, SIRET-like
# identifiers and phone numbers are not quantities.
BARE_NUMBER = re.compile(
    r"(?<![\d\w.,°/-])(?!(?:75|77|78|91|92|93|94|95)\d{3}\b)\d{5,7}(?![\d\w,/-])"
)
ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]{2,8});")
# Addresses and links legitimately hold slugs and ISO dates: they are not running text.
NOT_TEXT = re.compile(r"\S+@\S+|https?://\S+|/[\w/.-]*\S*")
SKIP = (
    "/deconnexion/",
    "/admin/",
    "/api/",
    "/static/",
    "/media/",
    ".ics",
    "/export",
    "attestation",
    "format=",
    "/fichier",
    "/telecharger",
)
FRENCH_ISO_WORDS = ("ISO", "AAAA-MM-JJ")


class _Text(HTMLParser):
    """Visible text of a page (no script, style, attribute, code) and its same-site links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self.hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "template", "svg"):
            self.hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(href.split("#")[0])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "template", "svg") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _problems(where, text, slugs, names=()):
    found = []
    prose = NOT_TEXT.sub(" ", text)
    for name in names:  # "mon-cep.org" is a name that holds its slug
        prose = prose.replace(name, " ")
    for match in ISO_DATE.finditer(prose):
        context = prose[max(0, match.start() - 40) : match.end() + 20]
        if not any(word in context for word in FRENCH_ISO_WORDS):
            found.append(f"{where} : date ISO « {context.strip()} »")
    for match in ENGLISH_MONTH.finditer(prose):
        context = prose[max(0, match.start() - 30) : match.end() + 20]
        found.append(f"{where} : mois anglais « {context.strip()} »")
    for match in BARE_NUMBER.finditer(prose):
        context = prose[max(0, match.start() - 40) : match.end() + 20]
        if "n°" not in context[30:42] and "IDCC" not in context:
            found.append(f"{where} : nombre sans séparateur « {context.strip()} »")
    for slug in slugs:
        for match in re.finditer(rf"(?<![\w@.-]){re.escape(slug)}(?![\w@-])", prose):
            context = prose[max(0, match.start() - 40) : match.end() + 20]
            found.append(f"{where} : identifiant « {slug} » dans « {context.strip()} »")
    return found


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_load_all()
    for dotted in settings.MAILLAGE_DEMO_BUILDERS:
        import_module(dotted).build()


def _names():
    return sorted(Organisation.objects.values_list("name", flat=True), key=len, reverse=True)


def _slugs():
    # Slugs that differ from the name (a one-word name like "Afdas" reads as itself).
    return sorted(
        slug
        for slug, name in Organisation.objects.values_list("slug", "name")
        if slug.lower() != name.lower()
    )


def _crawl(client, start, *, limit, per_shape=3):
    """Breadth first over same-site links; at most `per_shape` pages of one shape
    (/orientations/N/), so that every kind of page is read, not 100 referrals."""
    seen, queue, pages, shapes = set(), list(start), [], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = url.split("?")[0]
        if path in seen or any(s in url for s in SKIP):
            continue
        seen.add(path)
        shape = re.sub(r"\d+", "N", path)
        if shapes.get(shape, 0) >= per_shape:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        pages.append((url, " ".join(" ".join(parser.parts).split())))
        queue.extend(link for link in parser.links if link.split("?")[0] not in seen)
    return pages


ACCOUNTS = [
    None,
    "coordination@region-idf.demo",
    "responsable@afdas.demo",
    "conseiller@apec.demo",
    "responsable@pole-emploi.demo",
]


def test_the_demo_pages_emails_and_exports_speak_french(client, demo, run_worker):
    slugs, names = _slugs(), _names()
    assert "pole-emploi" in slugs and "arml-idf" in slugs
    problems = []
    visited = 0
    for email in ACCOUNTS:
        client.logout()
        if email:
            user = User.objects.filter(email=email).first()
            assert user is not None, email
            client.force_login(user)
        pages = _crawl(client, ["/"], limit=140)
        visited += len(pages)
        for url, text in pages:
            problems += _problems(f"{email or 'public'} {url}", text, slugs, names)
    assert visited > 150

    run_worker()
    assert mail.outbox, "la démo n'a envoyé aucun e-mail"
    for message in mail.outbox:
        where = f"e-mail « {message.subject} »"
        problems += _problems(where, f"{message.subject}\n{message.body}", slugs, names)
        for match in ENTITY.finditer(message.body):
            problems.append(f"{where} : entité HTML {match.group(0)}")
        for content, mimetype in getattr(message, "alternatives", []):
            # The HTML part says the same, with each link clickable.
            assert mimetype == "text/html" and '<html lang="fr">' in content, where
            for link in re.findall(r"https?://\S+", message.body):
                assert f'href="{html.escape(link)}"' in content, (where, link)
        recipient = User.objects.filter(email=message.to[0]).first()
        if recipient is None:
            client.logout()
        else:
            client.force_login(recipient)
        for link in re.findall(r"https?://\S+", message.body):
            assert link.startswith(settings.SITE_URL), (where, link)
            status = client.get(urlsplit(link).path).status_code
            # 403: not this person's page; 410: a link that expired (its French page says so).
            if status >= 400 and status not in (403, 410):
                problems.append(f"{where} : le lien {link} répond {status}")

    client.force_login(User.objects.get(email="coordination@region-idf.demo"))
    for path in ("/indicateurs/export/flux.csv", "/indicateurs/export/journalier.csv"):
        response = client.get(path, {"periode": "12m"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        problems += _problems(path, text, slugs, names)
    client.force_login(User.objects.get(email="responsable@afdas.demo"))
    response = client.get("/orientations/export/", {"format": "csv"})
    problems += _problems(
        "export des orientations", response.getvalue().decode("utf-8-sig"), slugs, names
    )

    assert not problems, "\n".join(sorted(set(problems))[:200])


def test_french_helpers():
    from datetime import date, datetime

    assert french.date_fr(date(2026, 12, 1)) == "1er décembre 2026"
    assert french.date_fr(date(2026, 6, 2), weekday=True) == "mardi 2 juin 2026"
    moment = timezone.make_aware(datetime(2026, 6, 1, 14, 30))
    assert french.datetime_fr(moment) == "1er juin 2026 à 14 h 30"
    assert french.number_fr(378000) == "378\xa0000"
    assert french.number_fr(15.9) == "15,9"
    assert french.de("Apec") == "d'Apec" and french.de("Afdas") == "d'Afdas"
    assert french.de("Pôle emploi") == "de Pôle emploi"
