"""A form fuzzer of the project's own: crawl the pages as one role, submit every form with hostile
input, and collect every answer of 500 or more.

It drives Django's test client (no browser, no server): pages are parsed with lxml, each
`<form>` is submitted once with its own values (the baseline), then with one hostile value at a
time in each field (dates out of range or impossible, huge and negative numbers, non-numeric ids)
and with hostile values in every field at once (empty, 10,000 characters, unicode, NUL). The CSRF
token of the page is kept, as a browser would. GET parameters seen in links and path ids are
fuzzed too. Counts bound the run (pages per role, instances per URL pattern), not a clock.
"""

import logging
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

HUGE = str(10**30)
BIG_ID = str(2**63)  # one past the largest 64-bit id
LONG = "é" * 10_000
# Right-to-left override and Arabic, an emoji sequence, combining marks, invisible characters.
UNICODE = (
    "\u202e\u0645\u0631\u062d\u0628\u0627\u202c \U0001f469\U0001f3fd\u200d\U0001f4bb "
    "Zo\u00e9 e\u0301\u0301\u0301 \ufeff\u200b \U0001d54f"
)
NUL = "a\x00b"

# Per kind of field: the values tried one field at a time, then (the last one) in every field
# of that kind at once.
BAD_BY_KIND = {
    "date": ("0001-01-01", "9999-12-31", "2026-13-45"),
    "datetime-local": ("0001-01-01T00:00", "9999-12-31T23:59", "2026-13-45T25:61"),
    "number": (HUGE, "-1", "abc"),
    **{kind: ("abc", HUGE, "-1") for kind in ("select", "hidden", "checkbox", "radio")},
}
GROUP_LIMIT = 3
YEAR = re.compile(r"^(19|20)\d\d(?=$|-)")
# For a GET parameter whose type the page does not say: one of each kind.
BAD_PARAMS = ("0001-01-01", "9999-12-31", "2026-13-45", HUGE, "-1", "abc", LONG, NUL)
BAD_PATH_IDS = (HUGE, BIG_ID, "0")
BAD_PATH_STRINGS = ("abc", "x" * 300, "%00", "..%2F..%2Fetc")

TEXT_TYPES = {"text", "search", "email", "tel", "url", "password", ""}
SKIPPED_PREFIXES = ("/static/", "/admin/", "/api/", "/media/")
# A form whose action is one of these would end the crawl (sign-out) rather than test input.
SKIPPED_ACTIONS = {"accounts:logout"}

DEFAULTS = {
    "email": "fuzz@example.org",
    "url": "https://example.org/",
    "tel": "0102030405",
    "number": "2",
    "date": "2027-03-15",
    "datetime-local": "2027-03-15T10:00",
    "time": "10:00",
}


@dataclass
class Field:
    name: str
    kind: str  # an input type, "select", "textarea" or "checkbox"/"radio"
    value: object  # a string, or a list of strings (multiple select, checkbox groups)


@dataclass
class Form:
    method: str
    action: str
    fields: list
    button: tuple | None = None  # (name, value) of the submit button, sent as a click would

    def baseline(self):
        data = {}
        for f in self.fields:
            data[f.name] = f.value
        if self.button:
            data[self.button[0]] = self.button[1]
        return data


@dataclass
class Finding:
    role: str
    method: str
    path: str
    variant: str
    status: int
    error: str


@dataclass
class Report:
    role: str
    pages: int = 0
    forms: int = 0
    requests: int = 0
    findings: list = field(default_factory=list)
    signatures: set = field(default_factory=set)
    path_id_statuses: dict = field(default_factory=dict)  # status -> count (ids in paths)
    path_id_surprises: list = field(default_factory=list)  # (path, status) of anything else


def url_name(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def route_of(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None, None
    return match.route, match


def static_urls():
    """Every project URL without a path parameter (the known URL names), admin and API aside."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            text = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, text)
            elif "<" not in text and "(" not in text and "^" not in text:
                found.append("/" + text)

    walk(get_resolver().url_patterns, "")
    return [u for u in found if not u.startswith(SKIPPED_PREFIXES)]


def _field_value(element):
    tag = element.tag
    if tag == "textarea":
        return "textarea", element.text or ""
    if tag == "select":
        options = element.findall(".//option")
        selected = [o.get("value", o.text or "") for o in options if o.get("selected") is not None]
        multiple = element.get("multiple") is not None
        if multiple:
            return "select", selected
        if selected:
            return "select", selected[0]
        values = [o.get("value", o.text or "") for o in options]
        non_empty = [v for v in values if v]
        if element.get("required") is not None and non_empty:
            return "select", non_empty[0]
        return "select", values[0] if values else ""
    kind = (element.get("type") or "text").lower()
    return kind, element.get("value", "")


def parse_forms(html, page_url):
    """The forms of a page, each with its fields' current values and its submit buttons."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    forms = []
    for element in tree.iter("form"):
        method = (element.get("method") or "get").lower()
        action = urljoin(page_url, element.get("action") or page_url)
        fields = {}
        buttons = []
        for control in element.iter("input", "select", "textarea", "button"):
            name = control.get("name")
            kind = (control.get("type") or ("submit" if control.tag == "button" else "")).lower()
            if control.tag == "button" or kind in ("submit", "image"):
                if name:
                    buttons.append((name, control.get("value", "")))
                continue
            if not name or kind in ("file", "reset") or control.get("disabled") is not None:
                continue
            kind, value = _field_value(control)
            if control.tag == "select":
                options = [o.get("value", o.text or "") for o in control.iter("option")]
                fields.setdefault(name, Field(name, kind, value)).options = options
                continue
            if kind in ("checkbox", "radio"):
                existing = fields.get(name)
                checked = control.get("checked") is not None
                values = existing.value if existing else []
                if checked or (kind == "radio" and not values and control.get("required")):
                    values = [*values, control.get("value", "on")]
                fields[name] = Field(name, kind, values)
                fields[name].options = [*getattr(existing, "options", []), control.get("value")]
                continue
            if name in fields:  # the same name twice (rare): keep the first
                continue
            fields[name] = Field(name, kind, value)
        for f in fields.values():
            if f.kind in ("radio",) and not f.value and getattr(f, "options", None):
                f.value = [f.options[0]]
        # One form per distinct submit button (different buttons are different actions).
        distinct = list(dict.fromkeys(buttons)) or [None]
        for button in distinct:
            forms.append(Form(method, action, list(fields.values()), button))
    return forms


# Dates in a plausible order (opening < closing < start < end), so that the form is valid
# and the hostile value of one field reaches the code behind the form.
DATE_ORDER = (
    ("opens", "2027-03-01", "2027-03-01T09:00"),
    ("closes", "2027-03-14", "2027-03-14T09:00"),
    ("end", "2027-03-16", "2027-03-15T12:00"),
    ("until", "2027-06-30", "2027-06-30T12:00"),
    ("_to", "2027-06-30", "2027-06-30T12:00"),
)


def default_value(f):
    if f.kind in ("date", "datetime-local"):
        for hint, day, moment in DATE_ORDER:
            if hint in f.name:
                return day if f.kind == "date" else moment
    return DEFAULTS.get(f.kind, "Essai")


def fill_required(form):
    """Give an empty field of a POST form a plausible value, so that the other fields count."""
    if form.method != "post":
        return
    for f in form.fields:
        if f.kind in ("hidden", "checkbox", "radio", "select"):
            continue
        if isinstance(f.value, str) and not f.value:
            f.value = default_value(f)


def _group(name):
    """Fields named alike (`quota_afdas`, `quota_apec`…) are one kind of input: fuzz a few."""
    return re.sub(r"_[\w-]+$", "", name)


def variants(form, *, full=True):
    """(label, data) pairs: hostile values in one field at a time, then in all at once.

    With `full=False` (a form another role has already had fully fuzzed), only the
    whole-form variants: the code behind is the same, the permission path is not.
    """
    base = form.baseline()
    fuzzable = [f for f in form.fields if f.name != "csrfmiddlewaretoken"]

    def with_all(value, kinds=None):
        data = dict(base)
        for f in fuzzable:
            if kinds is None or f.kind in kinds:
                data[f.name] = value
        return data

    yield "valeurs de la page", base
    yield "tout vide", with_all("")
    yield "10 000 caractères", with_all(LONG)
    if not full:
        return
    yield "unicode", with_all(UNICODE, TEXT_TYPES | {"textarea"})
    yield "NUL", with_all(NUL, TEXT_TYPES | {"textarea"})
    impossible = dict(base)
    for f in fuzzable:
        if f.kind in BAD_BY_KIND:
            impossible[f.name] = BAD_BY_KIND[f.kind][-1]
    yield "dates impossibles, nombres négatifs, ids non numériques", impossible
    for day, moment in (("0001-01-01", "0001-01-01T00:00"), ("9999-12-31", "9999-12-31T23:59")):
        # Every date at once: a pair (from, to) is only read when both are given.
        data = with_all(day, {"date"})
        data.update({f.name: moment for f in fuzzable if f.kind == "datetime-local"})
        yield f"toutes les dates en {day[:4]}", data
    for f in fuzzable:
        # A value shaped like a year, a month or a quarter (`2026`, `2026-11`, `2026-T4`):
        # the same shape in year 1 and 9999.
        candidates = [f.value] if isinstance(f.value, str) else list(f.value or [])
        candidates += getattr(f, "options", None) or []
        shaped = next((v for v in candidates if v and YEAR.match(v)), None)
        if shaped:
            for year in ("0001", "9999"):
                data = dict(base)
                data[f.name] = YEAR.sub(year, shaped, count=1)
                yield f"{f.name}={data[f.name][:20]}", data
    groups = {}
    for f in fuzzable:
        values = BAD_BY_KIND.get(f.kind)
        key = (f.kind, _group(f.name))
        groups[key] = groups.get(key, 0) + 1
        if values is None or groups[key] > GROUP_LIMIT:
            continue
        for value in values[:-1]:
            data = dict(base)
            data[f.name] = value
            yield f"{f.name}={value[:20]}", data


def _clean(data):
    """The test client sends None as an error; lists are sent as repeated keys."""
    return {k: ("" if v is None else v) for k, v in data.items()}


class Fuzzer:
    def __init__(self, role, user=None, *, max_pages=200, per_route=4, fuzzed=None):
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.user = user
        if user is not None:
            self.client.force_login(user)
        self.report = Report(role)
        self.max_pages = max_pages
        self.per_route = per_route
        self.route_counts = {}
        self.seen = set()
        self.params = {}  # route -> (example path, set of parameter names seen in its links)
        self.path_routes = {}  # route -> an example path (for the path ids)
        self.timings = {}  # route -> seconds spent (to keep the run bounded)
        # Forms fully fuzzed by an earlier role (shared between the roles of one run).
        self.fuzzed = fuzzed if fuzzed is not None else set()
        self.form_params = {}  # route -> names already fuzzed as fields of a GET form

    # -- one request --------------------------------------------------------------------
    def request(self, method, path, data=None, variant=""):
        self.report.requests += 1
        started = time.perf_counter()
        if method == "post":
            response = self.client.post(path, _clean(data or {}))
        else:
            response = self.client.get(path, _clean(data or {}))
        route = route_of(urlsplit(path).path)[0]
        self.timings[route] = self.timings.get(route, 0) + time.perf_counter() - started
        if response.status_code >= 500:
            error = ""
            exc_info = getattr(response, "exc_info", None)
            if exc_info:
                error = f"{exc_info[0].__name__}: {str(exc_info[1])[:200]}"
            finding = Finding(
                self.report.role, method.upper(), path, variant, response.status_code, error
            )
            self.report.findings.append(finding)
        if self.user is not None and response.status_code == 302:
            # A hostile form may have changed who we are (organisation switch, sign-out).
            location = response.get("Location", "")
            if url_name(location) == "accounts:login":
                self.client.force_login(self.user)
        return response

    # -- the crawl ----------------------------------------------------------------------
    def _admit(self, path):
        parts = urlsplit(path)
        if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
            return False
        if parts.netloc and parts.netloc not in ("testserver",):
            return False
        key = parts.path + ("?" + parts.query if parts.query else "")
        if key in self.seen:
            return False
        route, _match = route_of(parts.path)
        if route is None:
            return False
        if self.route_counts.get(route, 0) >= self.per_route:
            return False
        self.seen.add(key)
        self.route_counts[route] = self.route_counts.get(route, 0) + 1
        names = {k for k, _v in parse_qsl(parts.query, keep_blank_values=True)}
        known = self.params.setdefault(route, [parts.path, set()])
        known[1] |= names
        if "<" in route:
            self.path_routes.setdefault(route, parts.path)
        return True

    def crawl(self, start):
        queue = [u for u in start if self._admit(u)]
        forms = []
        while queue and self.report.pages < self.max_pages:
            path = queue.pop(0)
            response = self.request("get", path, variant="page")
            self.report.pages += 1
            if response.status_code in (301, 302, 303):
                location = urljoin(path, response.get("Location", ""))
                if self._admit(location):
                    queue.append(location)
                continue
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or "text/html" not in content_type:
                continue
            html = response.content.decode("utf-8", "replace")
            try:
                tree = lxml.html.fromstring(html)
            except (ValueError, lxml.etree.ParserError):
                continue
            for anchor in tree.iter("a"):
                href = anchor.get("href")
                if href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
                    target = urljoin(path, href)
                    parts = urlsplit(target)
                    if parts.netloc in ("", "testserver") and self._admit(
                        parts.path + ("?" + parts.query if parts.query else "")
                    ):
                        queue.append(parts.path + ("?" + parts.query if parts.query else ""))
            for form in parse_forms(html, path):
                forms.append(form)
        return forms

    # -- the attacks --------------------------------------------------------------------
    def fuzz_form(self, form):
        parts = urlsplit(form.action)
        if parts.netloc not in ("", "testserver") or url_name(parts.path) in SKIPPED_ACTIONS:
            return
        route, _match = route_of(parts.path)
        if route is None:
            return
        signature = (
            form.method,
            route,
            tuple(sorted(f.name for f in form.fields)),
            form.button,
        )
        if signature in self.report.signatures:
            return
        self.report.signatures.add(signature)
        self.report.forms += 1
        fill_required(form)
        target = parts.path + ("?" + parts.query if parts.query else "")
        full = signature not in self.fuzzed
        self.fuzzed.add(signature)
        if form.method == "get":
            self.form_params.setdefault(route, set()).update(f.name for f in form.fields)
        for label, data in variants(form, full=full):
            if form.method == "post":
                # A fresh token each time: a hostile POST may have rotated it (sign-in).
                data["csrfmiddlewaretoken"] = self._csrf_token(data)
            self.request(form.method, target, data, variant=label)

    def _csrf_token(self, data):
        cookie = self.client.cookies.get("csrftoken")
        return cookie.value if cookie is not None else data.get("csrfmiddlewaretoken", "")

    def fuzz_params(self):
        for route, (path, names) in list(self.params.items()):
            for name in sorted(names - self.form_params.get(route, set())):
                for value in BAD_PARAMS:
                    self.request("get", path, {name: value}, variant=f"?{name}={value[:20]}")

    def fuzz_path_ids(self):
        converter = re.compile(r"<(?:(\w+):)?(\w+)>")
        for route, path in list(self.path_routes.items()):
            _route, match = route_of(path)
            for m in converter.finditer(route):
                kind, name = m.group(1) or "str", m.group(2)
                values = BAD_PATH_IDS if kind == "int" else BAD_PATH_STRINGS
                for value in (*values, "abc") if kind == "int" else values:
                    kwargs = {k: str(v) for k, v in match.kwargs.items()}
                    kwargs[name] = value
                    text = converter.sub(lambda g, kw=kwargs: kw[g.group(2)], route)
                    response = self.request(
                        "get", "/" + text, variant=f"chemin {name}={value[:20]}"
                    )
                    if kind == "int":
                        status = response.status_code
                        if status not in (302, 403, 404, 405):
                            self.report.path_id_surprises.append((text, status))
                        self.report.path_id_statuses[status] = (
                            self.report.path_id_statuses.get(status, 0) + 1
                        )

    def run(self, start):
        logger = logging.getLogger("django.request")
        level = logger.level
        logger.setLevel(logging.CRITICAL)  # the 500s are collected, not logged
        try:
            forms = self.crawl(start)
            for form in forms:
                self.fuzz_form(form)
            self.fuzz_params()
            self.fuzz_path_ids()
        finally:
            logger.setLevel(level)
        return self.report
