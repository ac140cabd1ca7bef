"""Property tests: one known primary, clean alternatives, CLI = API = page, nothing crashes."""

import json
from datetime import date
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.routing.engine import decide
from maillage.routing.profile import STATUSES
from tests.factories import MembershipFactory
from tests.routing.decisions import page_decision

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KNOWN = {
    "afdas",
    "agecif-cama",
    "faf-tt",
    "unagecif",
    "unifaf-idf",
    "uniformation-idf",
    "arml-idf",
    "cheops-idf",
    "fongecif-idf",
    "pole-emploi",
    "apec",
    "operateur-regional-idf",
    "employeur-public",
    "mon-cep",
    "accueil-generaliste",
}
GROUPS = [
    "credit_agricole",
    "lcl",
    "groupama",
    "msa",
    "edf",
    "engie",
    "ratp",
    "sncf",
    "banque_de_france",
]
LISTED_IDCC = [
    "7501",
    "29",
    "413",
    "1413",
    "2378",
    "1285",
    "2642",
    "2941",
    "1518",
    "1261",
    "2150",
    "218",
    "2128",
]

profiles = st.fixed_dictionaries(
    {
        "department": st.sampled_from(
            ["75", "77", "78", "91", "92", "93", "94", "95", "01", "2A", "69", "971"]
        ),
        "status": st.sampled_from(list(STATUSES)),
    },
    optional={
        "age": st.one_of(st.none(), st.integers(0, 120)),
        "disability": st.booleans(),
        "cadre": st.booleans(),
        "temp_worker": st.booleans(),
        "employer_group": st.one_of(st.none(), st.sampled_from(GROUPS)),
        "idcc": st.one_of(
            st.none(), st.sampled_from(LISTED_IDCC), st.from_regex(r"\A[0-9]{1,4}\Z")
        ),
    },
)
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2027, 12, 31))


@SETTINGS
@given(profile=profiles, on=days)
def test_exactly_one_known_primary_and_clean_alternatives(rules, profile, on):
    decision = decide(profile, on)
    assert decision.primary in KNOWN
    assert set(decision.alternatives) <= KNOWN
    assert len(decision.alternatives) == len(set(decision.alternatives))
    assert decision.primary not in decision.alternatives
    assert "accueil-generaliste" not in decision.alternatives
    assert decision.rule and decision.explanation
    if decision.rule == "R0":
        assert decision.alternatives == []


def cli(payload, on=None):
    out, err = StringIO(), StringIO()
    args = ["--date", on.isoformat()] if on else []
    try:
        call_command("route", *args, payload, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, None
    return 0, json.loads(out.getvalue())


def as_query(profile):
    query = {}
    for key, value in profile.items():
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                query[key] = "oui"
        else:
            query[key] = str(value)
    return query


@pytest.mark.usefixtures("no_ratelimit")  # 60 examples, each a request to the public page
@SETTINGS
@given(profile=profiles, on=days)
def test_cli_api_and_pages_agree(rules, client, profile, on):
    code, from_cli = cli(json.dumps(profile), on)
    assert code == 0
    response = client.post(
        "/api/v1/routing/decisions",
        {**profile, "date": on.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == from_cli
    expected = (from_cli["primary"], from_cli["rule"], from_cli["alternatives"])
    # Counsellor page (chooses the date) and public page (today) against the CLI.
    client.force_login(_counsellor())
    html = client.get(
        "/espace/aiguillage/?" + urlencode({**as_query(profile), "date": on.isoformat()})
    ).content.decode()
    assert page_decision(html) == expected
    client.logout()
    _code, today = cli(json.dumps(profile))
    html = client.get(
        "/trouver-mon-conseiller/resultat/?" + urlencode(as_query(profile))
    ).content.decode()
    assert page_decision(html) == (today["primary"], today["rule"], today["alternatives"])


def _counsellor():
    from maillage.accounts.models import User

    user = User.objects.filter(email="prop@routing.test").first()
    if user is None:
        user = MembershipFactory(user__email="prop@routing.test").user
    return user


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)
anything = st.one_of(
    json_values,
    st.dictionaries(
        st.sampled_from(
            [
                "department",
                "status",
                "age",
                "disability",
                "cadre",
                "temp_worker",
                "employer_group",
                "idcc",
                "date",
                "x",
            ]
        ),
        json_values,
        max_size=9,
    ),
)


@SETTINGS
@given(payload=anything)
def test_no_input_crashes_the_cli_or_the_api(rules, client, payload):
    text = json.dumps(payload)
    code, _out = cli(text)
    assert code in (0, 2)
    response = client.post("/api/v1/routing/decisions", text, content_type="application/json")
    assert response.status_code in (200, 422)
    assert (code == 0) == (response.status_code == 200) or "date" in (
        payload if isinstance(payload, dict) else {}
    )


@pytest.mark.usefixtures("no_ratelimit")  # 60 examples, each requests the pages
@SETTINGS
@given(
    query=st.dictionaries(
        st.sampled_from(
            [
                "department",
                "status",
                "age",
                "disability",
                "cadre",
                "temp_worker",
                "employer_group",
                "idcc",
                "date",
            ]
        ),
        st.text(max_size=12),
        max_size=9,
    )
)
def test_no_query_string_crashes_the_pages(rules, client, query):
    for url in ("/trouver-mon-conseiller/resultat/", "/trouver-mon-conseiller/"):
        response = client.get(url, query)
        assert response.status_code in (200, 400)
    client.force_login(_counsellor())
    assert client.get("/espace/aiguillage/", query).status_code in (200, 400)
    client.logout()
