"""Site search over published pages, published FAQ answers and the glossary.

One interface, `search()`, over the kinds the content-kind registry marks `Findable` (articles.registry), with
a backend per database vendor: PostgreSQL full-text search through Django (each model's `objects.search()`,
articles.search_text), or SQLite FTS5. Both search the same documents: a record's title and the plain text of
its stored, sanitized HTML, which is derived when the record is saved (`search_text`), so both answer with the
same kinds of results and the same shape of snippet, and a search parses no HTML.

On PostgreSQL each record stores its search vector with a GIN index (`search_vector`): one query finds each
kind's best matches through the indexes, ranks them from the stored vectors, and builds snippets for the rows
shown only. On SQLite (the development database) an FTS5 table is filled from the stored text inside the
database for each query.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models.functions import Replace, RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.registry import searchable_kinds
from articles.search_text import MARK_END as _MARK_END
from articles.search_text import MARK_START as _MARK_START
from articles.search_text import SNIPPET_WORDS as _SNIPPET_WORDS
from articles.search_text import clean_text as _clean

__all__ = ["MAX_QUERY_LENGTH", "SearchKind", "SearchResult", "fts5_query", "search", "search_kinds"]

Kind = str  # a Findable kind's name: "page", "faq", "glossary"


@dataclass(frozen=True)
class SearchKind:
    """What search needs to know of a kind of record. Its model has a search vector and `objects.search()`
    (articles.search_text); a result links to the record's get_absolute_url()."""

    name: Kind
    model: type[models.Model]
    title_field: str
    # The rows a reader may find.
    findable: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = lambda rows: rows

    def rows(self) -> models.QuerySet[Any]:
        return self.findable(self.model.objects.all())


def search_kinds() -> list[SearchKind]:
    """The kinds search finds, in the order results of equal rank are listed (each kind's in its model's
    Meta.ordering), as the registry declares them."""
    kinds = sorted(searchable_kinds(), key=lambda kind: kind.search.listing_order)
    return [
        SearchKind(kind.search.name, kind.model, kind.model.TITLE_FIELD, kind.search.findable)
        for kind in kinds
    ]


# Longer queries are cut to this many characters before searching: no real question needs more, and it keeps
# hostile input from costing anything.
MAX_QUERY_LENGTH = 200

# Snippets come back from the database with _MARK_START/_MARK_END around matches: private-use characters that
# never occur in the indexed text or the query (clean_text removes them), swapped for <mark> after escaping.
_ELLIPSIS = "…"

# PostgreSQL's "english" stop words (Snowball's list). The SQLite backend drops them from the query too, so a
# reader's "can I have it if I am pregnant" finds the same documents on both databases.
_STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is
    are was were be been being have has had having do does did doing a an the and but if or because as until
    while of at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will just don should now
    """.split()
)

# Words: letters and digits, as FTS5's unicode61 tokenizer splits them (it treats "_" as a separator).
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchResult:
    kind: Kind
    title: str
    url: str
    snippet_html: SafeString  # escaped text; only the <mark> tags around matches are markup
    rank: float  # higher is better; only comparable within one search


def _snippet_html(marked: str) -> SafeString:
    """Escape a database snippet, then turn its match markers into <mark> elements."""
    # Unpaired or stray markers (a database cutting a snippet oddly) must not leave an unclosed <mark>.
    parts: list[str] = []
    open_mark = False
    for piece in re.split(f"([{_MARK_START}{_MARK_END}])", marked):
        if piece == _MARK_START:
            if not open_mark:
                parts.append("<mark>")
                open_mark = True
        elif piece == _MARK_END:
            if open_mark:
                parts.append("</mark>")
                open_mark = False
        else:
            parts.append(escape(piece))
    if open_mark:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # every piece of text went through escape() above


def _normalize_query(query: str) -> str:
    return _clean(query[:MAX_QUERY_LENGTH])


def search(query: str, *, limit: int = 20) -> list[SearchResult]:
    """Published pages, FAQ answers and glossary terms matching `query`, best first. Never raises on input.

    One query on PostgreSQL, five on SQLite, however many documents there are. Results of equal rank come in
    the order of search_kinds(), each kind's in its model's Meta.ordering.
    """
    query = _normalize_query(query)
    if not query or limit <= 0:
        return []
    # Read once: the kind numbers in the SQL and in the rows it returns index this same tuple.
    kinds = tuple(search_kinds())
    if connection.vendor == "postgresql":
        return _search_postgresql(query, limit, kinds)
    return _search_sqlite(query, limit, kinds)


# --- PostgreSQL ---


def _listing(number: int, kind: SearchKind) -> models.Func:
    """Where a row of the `number`th kind is listed among results of equal rank: after the kinds before it,
    then in its model's Meta.ordering. One row value, ROW(number, ordering fields..., pk), which PostgreSQL
    compares field by field, so that rows of kinds with different ordering fields sort together."""
    ordering = kind.model._meta.ordering
    if not all(isinstance(name, str) and not name.startswith("-") for name in ordering):
        raise ValueError(f"Search lists {kind.model.__name__} rows by ascending Meta.ordering fields only")
    return models.Func(models.Value(number), *ordering, "pk", function="ROW", output_field=models.Field())


def _best_matches(query: str, limit: int, kinds: tuple[SearchKind, ...]) -> models.QuerySet[Any]:
    """Each kind's best `limit` matches for `query`, merged by rank and listing order and cut to `limit`: rows
    of (kind number, slug, title, rank, headline, search text, listing).

    With the same sort key in every part, PostgreSQL merges the sorted parts as it reads them (Merge Append),
    so the headline, which it computes after a part's sort, is made for the rows shown only.
    """
    parts = [
        kind.rows()
        .search(query)
        .annotate(kind=models.Value(number), listing=_listing(number, kind))
        .order_by("-rank", "listing")
        .values_list(
            "kind", kind.model.KEY_FIELD, kind.title_field, "rank", "headline", "search_text", "listing"
        )[:limit]
        for number, kind in enumerate(kinds)
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-rank", "listing")[:limit]


# Where the reader's words go in the SQL of _best_matches: Django builds the same SQL for every search, and
# building it takes longer than a search that finds nothing (about 3 ms against 1 at 10,000 pages), so it is
# built once per limit (and set of kinds) and run with the words put in.
_WORDS = "<the reader's words>"


@functools.lru_cache(maxsize=8)
def _best_matches_sql(limit: int, kinds: tuple[SearchKind, ...]) -> tuple[str, tuple[Any, ...]]:
    return _best_matches(_WORDS, limit, kinds).query.sql_with_params()


def _search_postgresql(query: str, limit: int, kinds: tuple[SearchKind, ...]) -> list[SearchResult]:
    sql, params = _best_matches_sql(limit, kinds)
    with connection.cursor() as cursor:
        # websearch_to_tsquery reads any text without a syntax error; only NUL is refused, and _clean() has
        # removed it.
        cursor.execute(sql, [query if param == _WORDS else param for param in params])
        rows = cursor.fetchall()
    return [
        _result(kinds[number], slug, title, _with_ellipses(headline, text), rank)
        for number, slug, title, rank, headline, text, _listing_value in rows
    ]


def _with_ellipses(snippet: str, text: str) -> str:
    """Mark a cut snippet with "…" at the cut ends, as SQLite's snippet() does."""
    plain = snippet.replace(_MARK_START, "").replace(_MARK_END, "").strip()
    if not plain:
        return snippet
    # ts_headline leaves out trailing punctuation, so compare the first and last words only.
    words = plain.split()
    if not text.startswith(words[0]):
        snippet = _ELLIPSIS + snippet
    if not text.rstrip(".!?)\"' ").endswith(words[-1].rstrip(".!?)\"'")):
        snippet += _ELLIPSIS
    return snippet


def _result(kind: SearchKind, slug: str, title: str, snippet: str, rank: float) -> SearchResult:
    url = kind.model.url_for(slug)
    return SearchResult(
        kind=kind.name, title=_clean(title), url=url, snippet_html=_snippet_html(snippet), rank=float(rank)
    )


# --- SQLite FTS5 ---

_FTS_TABLE = "temp.ivmt_site_search"


def _fts5_term(word: str) -> str:
    # A double-quoted FTS5 string is always a plain term, whatever it spells (AND, NEAR, column:, ^, *).
    return '"' + word.replace('"', '""') + '"'


def fts5_query(query: str) -> str:
    """The reader's words as a safe FTS5 expression, read as websearch_to_tsquery reads them.

    Words are ANDed; "or" between words makes alternatives; a word written "-word" must not occur. Every word
    is quoted, so no input is FTS5 syntax. Stop words are dropped as PostgreSQL's English configuration does.
    Returns "" when nothing searchable is left.
    """
    groups: list[tuple[list[str], list[str]]] = [([], [])]
    for chunk in query.replace('"', " ").split():
        if chunk.lower() == "or":
            groups.append(([], []))
            continue
        include, exclude = groups[-1]
        words = [w.lower() for w in _WORD.findall(chunk) if w.lower() not in _STOP_WORDS]
        (exclude if chunk.startswith("-") else include).extend(words)
    expressions = []
    for include, exclude in groups:
        if not include:
            # "-word" alone would mean "every document without it": not a useful answer to a search.
            continue
        expression = " ".join(_fts5_term(w) for w in include)
        expression += "".join(f" NOT {_fts5_term(w)}" for w in exclude)
        expressions.append(f"({expression})")
    return " OR ".join(expressions)


def _findable_documents(kinds: tuple[SearchKind, ...]) -> tuple[str, list[Any]]:
    """SQL for every document a visitor may find: its kind, its place in its kind's listing order, slug, title
    (without the snippet markers, as clean_text leaves the text) and text."""
    documents = [
        kind.rows()
        .annotate(
            kind=models.Value(number),
            position=models.Window(RowNumber(), order_by=[*kind.model._meta.ordering, "pk"]),
            plain_title=Replace(
                Replace(kind.title_field, models.Value(_MARK_START)), models.Value(_MARK_END)
            ),
        )
        .order_by()
        .values_list("kind", "position", kind.model.KEY_FIELD, "plain_title", "search_text")
        for number, kind in enumerate(kinds)
    ]
    return documents[0].union(*documents[1:], all=True).order_by().query.sql_with_params()


def _search_sqlite(query: str, limit: int, kinds: tuple[SearchKind, ...]) -> list[SearchResult]:
    match = fts5_query(query)
    if not match:
        return []
    documents, params = _findable_documents(kinds)
    with connection.cursor() as cursor:
        # A TEMP table lives in this connection only: concurrent requests each get their own. It is filled
        # from the stored text inside SQLite; nothing passes through Python but the results.
        cursor.execute(f"DROP TABLE IF EXISTS {_FTS_TABLE}")
        try:
            # Porter stemming, like PostgreSQL's English configuration: "migraines" finds "migraine".
            cursor.execute(
                f"CREATE VIRTUAL TABLE {_FTS_TABLE} USING fts5("
                "title, body, kind UNINDEXED, position UNINDEXED, slug UNINDEXED, "
                "tokenize = 'porter unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                f"INSERT INTO {_FTS_TABLE} (kind, position, slug, title, body) {documents}", params
            )
            # bm25() is lower-is-better; a title match weighs as much as ten in the body (PostgreSQL: A vs B).
            cursor.execute(
                f"SELECT kind, slug, title, -bm25(ivmt_site_search, 10.0, 1.0) AS score, "
                f"snippet(ivmt_site_search, 1, %s, %s, %s, %s) "
                f"FROM {_FTS_TABLE} WHERE ivmt_site_search MATCH %s "
                f"ORDER BY score DESC, kind, position LIMIT %s",
                [_MARK_START, _MARK_END, _ELLIPSIS, _SNIPPET_WORDS, match, limit],
            )
            rows = cursor.fetchall()
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {_FTS_TABLE}")
    return [_result(kinds[number], slug, title, snippet, rank) for number, slug, title, rank, snippet in rows]
