"""Every page of the demo fits a 360 px phone and is axe-core clean, for every kind of user.

The pages are not listed by hand: for each user (the public, a counsellor, a manager, the
coordinator) the test follows the links of the home page, of the personal space and of every
page reached from them (same origin, GET only, bounded), the way a person would. A page that a
new template adds is therefore checked without anyone remembering to add it here.
"""

from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import axe_violations

WIDTH = 360
# The kinds of user, and where their visit starts (the home page and the nav are on every page).
USERS = [
    ("public", None, ["/"]),
    ("conseiller", "conseiller@cheops-idf.demo", ["/", "/espace/"]),
    ("responsable", "responsable@arml-idf.demo", ["/", "/espace/"]),
    ("coordination", "coordination@region-idf.demo", ["/", "/espace/"]),
]
# Not pages: files, feeds, exports, the API and the admin, signing out.
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/deconnexion")
SKIPPED_SUFFIXES = (".csv", ".xlsx", ".ics", ".pdf", ".json", ".xml", ".zip", ".txt", ".odt")
SKIPPED_WORDS = ("export", "telecharger", "fichier", "feed", "ical", "pdf")
# Several instances of one URL pattern (one operator's page, another's) use the same template:
# one of each (per kind of user) is enough, and keeps the visit bounded.
PER_PATTERN = 1
MAX_PAGES_PER_USER = 150


def pattern_of(path, query):
    """The URL pattern and the names of the query parameters: what decides the template."""
    try:
        route = resolve(path).route
    except Resolver404:
        route = path
    return route, tuple(sorted({key for key, _ in parse_qsl(query)}))


def is_page_link(url, origin):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    path = parts.path.lower()
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return False
    return not any(word in path for word in SKIPPED_WORDS)


def page_width_problems(page):
    """The page's own width against the viewport, and the elements that stick out, if any."""
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width <= inner:
        return None
    culprits = page.evaluate(
        """(inner) => {
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > inner + 1 && r.width > 0) {
              // Inside a scroll container, a wide child is fine: skip it.
              let p = el.parentElement, scrolled = false;
              while (p && p !== document.body) {
                const s = getComputedStyle(p);
                if (['auto', 'scroll', 'hidden'].includes(s.overflowX)) { scrolled = true; break; }
                p = p.parentElement;
              }
              if (!scrolled) {
                const id = el.id ? '#' + el.id : '';
                const cls = el.className && typeof el.className === 'string'
                  ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                out.push(`${el.tagName.toLowerCase()}${id}${cls} (${Math.round(r.right)}px)`);
              }
            }
            if (out.length >= 4) break;
          }
          return out;
        }""",
        inner,
    )
    return f"{width}px > {inner}px : {', '.join(culprits)}"


def visit_all(browser, base_url, email, starts):
    """Crawl the pages a user reaches; returns (pages checked, problems found)."""
    context = browser.new_context(
        locale="fr-FR", viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    if email:
        page.goto(f"{base_url}/connexion/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill("demo")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{base_url}/espace/")
    queue = [base_url + start for start in starts]
    seen_urls, per_pattern, checked, problems = set(), {}, [], []
    while queue and len(checked) < MAX_PAGES_PER_USER:
        url = urldefrag(queue.pop(0))[0]
        if url in seen_urls:
            continue
        seen_urls.add(url)
        parts = urlsplit(url)
        key = pattern_of(parts.path, parts.query)
        if per_pattern.get(key, 0) >= PER_PATTERN:
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file (a certificate, an export), not a page
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if page.url != url and urldefrag(page.url)[0] in seen_urls:
            continue  # a redirect to a page already checked
        checked.append(url)
        found = []
        if response.status >= 400:
            found.append(f"{url} : réponse {response.status}")
        else:
            width = page_width_problems(page)
            if width:
                found.append(f"{url} : la page déborde ({width})")
            violations = axe_violations(page)
            if violations:
                found.append(f"{url} : axe-core\n    " + "\n    ".join(violations))
        for line in found:
            print("PROBLÈME", line)
        problems += found
        if response.status >= 400:
            continue
        links = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        queue.extend(link for link in links if is_page_link(link, base_url))
    context.close()
    return checked, problems


def test_every_page_of_the_demo_fits_360_px_and_is_accessible(demo_site, browser):
    total, report = 0, []
    for kind, email, starts in USERS:
        checked, problems = visit_all(browser, demo_site.url, email, starts)
        total += len(checked)
        print(f"{kind} : {len(checked)} pages vérifiées à {WIDTH} px")
        assert len(checked) >= 5, f"{kind} : trop peu de pages atteintes ({checked})"
        report += [f"[{kind}] {line}" for line in problems]
    print(f"Total : {total} pages vérifiées à {WIDTH} px")
    assert report == [], "\n".join(report)
