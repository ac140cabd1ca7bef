"""A figure that cannot be shown says why (« aucune réponse encore »…), never a bare « — »."""

import re

import pytest

from tests.factories import MembershipFactory
from tests.html_read import first, text_of
from tests.indicators.conftest import PERIOD

pytestmark = pytest.mark.django_db


def _key_figures(client, membership):
    client.force_login(membership.user)
    html = client.get("/indicateurs/", PERIOD).content.decode()
    block = re.search(r'<dl class="key-figures">(.*?)</dl>', html, re.S).group(1)
    figures = {}
    for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", value).split())
        figures[re.sub(r"<[^>]+>", "", term).split(" adressées")[0].split(" envoyées")[0]] = text
    return figures


def test_an_operator_whose_referrals_have_no_answer_yet_is_told_so(client, partnership):
    # Beta received 3 referrals and answered none.
    beta = MembershipFactory(manager=True, organisation=partnership["beta"])
    figures = _key_figures(client, beta)
    assert figures["Taux d'acceptation"] == "— aucune réponse encore"
    assert figures["Part expirée sans réponse"] == "— aucune réponse encore"
    assert figures["Délai médian envoi → acceptation"] == "— aucune acceptation sur la période"


def test_a_rate_hidden_by_statistical_secrecy_says_so(client, partnership):
    # Gamma accepted 10 and refused 4: the 4 refusals could be recomputed from the rate.
    figures = _key_figures(
        client, MembershipFactory(manager=True, organisation=partnership["gamma"])
    )
    assert figures["Taux d'acceptation"].startswith("— masqué : un type de réponse compte moins")
    assert "secret statistique" in figures["Taux d'acceptation"]
    assert figures["Délai médian envoi → acceptation"] == "1 jour ouvré"


def test_an_operator_with_no_referral_in_the_period_is_told_so(client, partnership):
    figures = _key_figures(
        client, MembershipFactory(manager=True, organisation=partnership["alpha"])
    )
    assert figures["Taux d'acceptation"] == "— aucune orientation sur la période"


def test_a_table_with_a_missing_rate_explains_the_dash(client, people):
    client.force_login(people["coordinator"].user)
    html = client.get("/indicateurs/", PERIOD).content.decode()
    section = text_of(first(html, "//section[@id='reponses']"))
    assert "—" in section
    assert "« — » : pas de chiffre, faute de données" in section
