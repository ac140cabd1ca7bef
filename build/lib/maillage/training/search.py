"""French full-text search of the library: PostgreSQL `french` configuration, or SQLite FTS5.

PostgreSQL: `Resource.search_vector` (title weight A, summary weight B, `french` configuration,
GIN index) is refreshed by the services; queries use `websearch_to_tsquery('french', …)` and
`ts_rank`. SQLite: the FTS5 table `training_resource_fts` (tokenizer `unicode61 remove_diacritics
2`) holds the stemmed text of each resource; the same light French stemmer is applied to the
query, each term used as a prefix, and `bm25` ranks (title weighs more than the summary).
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F

FTS_TABLE = "training_resource_fts"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words that carry no meaning for a search; dropping them keeps "la formation" = "formation".
_STOPWORDS = frozenset(
    {"a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "la", "le"}
    | {"les", "leur", "leurs", "par", "pour", "sur", "un", "une", "l", "d"}
)


def _strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def french_stem(word):
    """A light French stemmer (after J. Savoy): plural and feminine endings fold together.

    formations → formation, conseillères → conseiller, régionaux → regional, outils → outil.
    """
    word = _strip_accents(word.lower())
    if len(word) <= 3:
        return word
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word[-1] in "sx":
        word = word[:-1]
    if word.endswith("ere") or word.endswith("euse"):
        word = word[:-3] + "er" if word.endswith("ere") else word[:-4] + "eur"
    elif word.endswith("ive"):
        word = word[:-3] + "if"
    elif word.endswith("elle") or word.endswith("enne"):
        word = word[:-2]
    elif word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def french_terms(text):
    """The stems of the meaningful words of `text`, in order, without duplicates."""
    seen = []
    for word in _WORD.findall(text or ""):
        if word.lower() in _STOPWORDS:
            continue
        stem = french_stem(word)
        if stem and stem not in seen:
            seen.append(stem)
    return seen


def _is_postgresql():
    return connection.vendor == "postgresql"


def index_resource(resource):
    """Refresh the search index of one resource (called by every service that changes it)."""
    model = type(resource)
    if _is_postgresql():
        model.objects.filter(pk=resource.pk).update(
            search_vector=SearchVector("title", weight="A", config="french")
            + SearchVector("summary", weight="B", config="french")
        )
        return
    with connection.cursor() as cursor:
        # Delete first: a reused id (tests flush tables, not this virtual one) never keeps
        # another resource's words.
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [resource.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary) VALUES (%s, %s, %s)",
            [
                resource.pk,
                " ".join(french_terms(resource.title)),
                " ".join(french_terms(resource.summary)),
            ],
        )


def unindex_resource(resource_id):
    if not _is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [resource_id])


def rebuild_index(queryset):
    for resource in queryset.only("pk", "title", "summary"):
        index_resource(resource)


def search(queryset, q):
    """`queryset` narrowed to resources matching `q`, best first (the rank is in `.rank`)."""
    if _is_postgresql():
        query = SearchQuery(q, config="french", search_type="websearch")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    terms = french_terms(q)
    if not terms:
        return queryset.none()
    # Every term must match (as a prefix, so "format" also finds "formateur").
    match = " AND ".join(f'"{term}"*' for term in terms)
    table = queryset.model._meta.db_table
    # A join on the FTS5 table: its MATCH drives the scan, bm25 ranks (lower is better, so
    # negated: a higher rank is a better match, as with PostgreSQL's ts_rank).
    # Constant SQL: the user's words only ever travel as the MATCH parameter.
    return queryset.extra(
        select={"rank": f"-bm25({FTS_TABLE}, 10.0, 3.0)"},
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
    ).order_by("-rank", "-id")
