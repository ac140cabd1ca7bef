"""French full-text search: inflected words match, results are ranked, on both databases."""

import pytest
from django.db import connection

from maillage.training.enums import Audience, ResourceStatus
from maillage.training.models import Resource
from maillage.training.search import french_stem, french_terms
from maillage.training.selectors.library import library_search
from tests.training.factories import make_resource

pytestmark = pytest.mark.django_db


def _titles(q, **filters):
    return [r.title for r in library_search(membership=None, q=q, **filters)]


def test_the_stemmer_folds_plural_feminine_and_accents():
    assert french_stem("formations") == french_stem("formation")
    assert french_stem("conseillères") == french_stem("conseiller")
    assert french_stem("Présentations") == french_stem("presentation")
    assert french_terms("La formation des conseillers") == ["formation", "conseiller"]


def test_formations_finds_formation_in_a_title_or_a_summary():
    make_resource(title="Le marché de la formation en Île-de-France", summary="Chiffres clés.")
    make_resource(title="Fiche Afdas", summary="Financer une formation d'intermittent.")
    make_resource(title="Guide de l'entretien", summary="Premier accueil.")
    assert sorted(_titles("formations")) == [
        "Fiche Afdas",
        "Le marché de la formation en Île-de-France",
    ]


def test_a_title_match_ranks_before_a_summary_match():
    make_resource(title="Outils partagés", summary="Une formation courte sur les outils.")
    make_resource(title="Formation au conseil en évolution professionnelle", summary="Module 1.")
    assert _titles("formations")[0] == "Formation au conseil en évolution professionnelle"


def test_every_word_must_match_and_accents_do_not_matter_on_the_query():
    make_resource(title="Marché de l'emploi en Seine-Saint-Denis", summary="Tendances 2019.")
    make_resource(title="Marché de la formation", summary="Offre régionale.")
    assert _titles("marché emploi") == ["Marché de l'emploi en Seine-Saint-Denis"]
    assert _titles("marches") == _titles("marchés")
    assert len(_titles("marchés")) == 2


def test_search_combines_with_filters_and_visibility():
    make_resource(title="Formation interne", audience=Audience.PARTNERS)
    make_resource(title="Formation publique", themes=["outils"])
    make_resource(title="Formation brouillon", status=ResourceStatus.DRAFT)
    assert _titles("formation") == ["Formation publique"]
    assert _titles("formation", theme="marche_emploi") == []


def test_an_edit_reindexes_the_resource():
    resource = make_resource(title="Ancien titre", summary="Rien.")
    Resource.objects.filter(pk=resource.pk).update(title="Immersion chez Cap emploi")
    resource.refresh_from_db()
    from maillage.training import search

    search.index_resource(resource)
    assert _titles("immersions") == ["Immersion chez Cap emploi"]
    assert _titles("ancien") == []


def test_the_index_is_the_database_own_full_text_engine():
    resource = make_resource(title="Formations des conseillers", summary="Stratégie régionale.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A stored tsvector built with the French configuration, and its GIN index.
            cursor.execute(
                "SELECT search_vector::text FROM training_resource WHERE id = %s", [resource.pk]
            )
            vector = cursor.fetchone()[0]
            assert "'format':1A" in vector and "'strateg':4B" in vector
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'training_resource_search_gin'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
        else:
            cursor.execute(
                "SELECT title FROM training_resource_fts WHERE rowid = %s", [resource.pk]
            )
            assert cursor.fetchone()[0] == "formation conseiller"


def test_the_api_searches_in_french_and_returns_the_rank(client):
    make_resource(title="Formation des conseillers", summary="Module un.")
    make_resource(title="Outils", summary="Une formation sur les outils.")
    make_resource(title="Accueil", summary="Premier entretien.")
    body = client.get("/api/v1/library", {"q": "formations"}).json()
    assert [r["title"] for r in body["results"]] == ["Formation des conseillers", "Outils"]
    assert body["count"] == 2
    assert body["results"][0]["rank"] > body["results"][1]["rank"]
