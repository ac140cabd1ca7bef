"""Every HTML form of the demo, for each role, answers hostile input without a server error.

The demo is built in the test database with the project's own demo builders, then the fuzzer
(tests/security/fuzzer.py) crawls the pages of each role from the navigation and the known
URL names, submits every form with hostile values (the CSRF token kept), fuzzes the GET
parameters seen in links and the ids in paths. The figures are printed (`pytest -s`) and
recorded in SECURITY.md.
"""

import time
from importlib import import_module

import pytest

from maillage.accounts.models import User
from maillage.core.reference import reference_load_all
from tests.security.fuzzer import Fuzzer, static_urls

# A transactional test: a failing request must not poison the transaction of the next ones
# (on PostgreSQL an error aborts the whole transaction).
pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {
    "anonyme": None,
    "conseiller": "conseiller@pole-emploi.demo",
    "responsable": "responsable@afdas.demo",
    "coordination": "coordination@region-idf.demo",
}


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_load_all()
    for dotted in settings.MAILLAGE_DEMO_BUILDERS:
        import_module(dotted).build()


def test_no_form_page_or_path_answers_a_server_error(demo):
    started = time.monotonic()
    start = ["/", *static_urls()]
    reports, fuzzed = [], set()
    for role, email in ROLES.items():
        user = User.objects.get(email=email) if email else None
        reports.append(Fuzzer(role, user, fuzzed=fuzzed).run(start))
    elapsed = time.monotonic() - started

    lines = [f"Fuzzer des formulaires ({elapsed:.0f} s)"]
    for r in reports:
        lines.append(
            f"  {r.role}: {r.pages} pages, {r.forms} formulaires, {r.requests} requêtes, "
            f"{len(r.findings)} réponses 5xx"
        )
    path_statuses = {}
    for r in reports:
        for status, count in r.path_id_statuses.items():
            path_statuses[status] = path_statuses.get(status, 0) + count
    lines.append(f"  ids de chemin hostiles, par statut : {dict(sorted(path_statuses.items()))}")
    total = sum(r.requests for r in reports)
    forms = sum(r.forms for r in reports)
    findings = [f for r in reports for f in r.findings]
    lines.append(f"  total: {forms} formulaires, {total} requêtes, {len(findings)} réponses 5xx")
    for r in reports:
        for path, status in r.path_id_surprises:
            lines.append(f"  - {r.role} GET /{path} (id de chemin hostile) {status}")
    for f in findings[:60]:
        lines.append(f"  - {f.role} {f.method} {f.path} [{f.variant}] {f.status} {f.error}")
    summary = "\n".join(lines)
    print(summary)
    # The crawl really reached the signed-in areas (a fuzzer that sees no form proves nothing).
    assert all(r.forms >= 3 for r in reports), summary
    assert forms >= 60, summary
    assert findings == [], summary
    # A huge, zero or non-numeric id in a path is "not found" (or the sign-in page for an
    # anonymous visitor, or "method not allowed" for a POST-only address), nothing else.
    assert set(path_statuses) <= {302, 403, 404, 405}, summary
