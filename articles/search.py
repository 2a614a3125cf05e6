"""Site search over published pages, published FAQ answers and the glossary.

One interface, `search()`, with a backend per database vendor: PostgreSQL full-text search, or SQLite FTS5.
Both search the same documents: a record's title and the plain text of its stored, sanitized HTML, which is
derived when the record is saved (`search_text`, see articles.search_text), so both answer with the same kinds
of results and the same shape of snippet, and a search parses no HTML.

On PostgreSQL each table has a stored generated tsvector column with a GIN index (migration articles 0008 and
faq 0004): one query finds the matches through the indexes, ranks them from the stored vectors, and builds
snippets for the rows shown only. On SQLite (the development database) an FTS5 table is filled from the stored
text inside the database for each query.
"""

import re
from dataclasses import dataclass
from typing import Literal

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, GlossaryTerm, Status
from articles.search_text import MARK_END as _MARK_END
from articles.search_text import MARK_START as _MARK_START
from articles.search_text import clean_text as _clean
from faq.models import Category, Question

__all__ = ["MAX_QUERY_LENGTH", "SearchResult", "fts5_query", "search"]

Kind = Literal["page", "faq", "glossary"]

# Longer queries are cut to this many characters before searching: no real question needs more, and it keeps
# hostile input from costing anything.
MAX_QUERY_LENGTH = 200

# Snippets come back from the database with _MARK_START/_MARK_END around matches: private-use characters that
# never occur in the indexed text or the query (clean_text removes them), swapped for <mark> after escaping.
_ELLIPSIS = "…"
_SNIPPET_WORDS = 24

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

# The kinds in the order results of equal rank are listed, and the model behind each.
_KINDS: dict[int, Kind] = {1: "page", 2: "faq", 3: "glossary"}
_MODELS = {"page": Article, "faq": Question, "glossary": GlossaryTerm}


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

    One query on PostgreSQL, five on SQLite, however many documents there are.
    """
    query = _normalize_query(query)
    if not query or limit <= 0:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(query, limit)
    return _search_sqlite(query, limit)


# Results of equal rank come in the order the site lists documents: pages, then FAQ answers, then glossary
# terms, each in its model's Meta.ordering (the row id settles what that leaves equal). The rows below carry
# the sort columns s1, s2, s3 for that.
_ARTICLE = Article._meta.db_table
_QUESTION = Question._meta.db_table
_CATEGORY = Category._meta.db_table
_GLOSSARY = GlossaryTerm._meta.db_table
_ORDER = "kind, s1, s2, s3, id"


# --- PostgreSQL ---

# The functions are the ones SearchVector, SearchQuery (search_type="websearch", config="english"), SearchRank
# and SearchHeadline generate; the column they work on, search_vector, is maintained by PostgreSQL and unknown
# to Django's models (see migration articles 0008). Each WHERE uses that column, so the GIN index finds the
# matches; only the rows shown get a headline, which is the costly part (it parses the text again).
_TSQUERY = "websearch_to_tsquery('english', %(query)s)"
_POSTGRESQL_SQL = f"""
WITH matches AS (
    SELECT 1 AS kind, a.id, a."order" AS s1, 0 AS s2, a.title AS s3,
           -- Normalization 1 (divide by 1 + log of the length), so that, as with bm25 on SQLite, a short
           -- answer that is about the words is not outranked by a long page that mentions them often.
           ts_rank(a.search_vector, {_TSQUERY}, 1) AS rank
    FROM {_ARTICLE} a
    WHERE a.search_vector @@ {_TSQUERY} AND a.status = %(published)s
    UNION ALL
    SELECT 2, q.id, c."order", q."order", q.question, ts_rank(q.search_vector, {_TSQUERY}, 1)
    FROM {_QUESTION} q JOIN {_CATEGORY} c ON c.id = q.category_id
    WHERE q.search_vector @@ {_TSQUERY} AND q.status = %(published)s
    UNION ALL
    SELECT 3, g.id, 0, 0, g.term, ts_rank(g.search_vector, {_TSQUERY}, 1)
    FROM {_GLOSSARY} g
    WHERE g.search_vector @@ {_TSQUERY}
), shown AS (
    SELECT * FROM matches ORDER BY rank DESC, {_ORDER} LIMIT %(limit)s
), picked AS (
    SELECT shown.*,
           COALESCE(a.slug, q.slug, g.slug) AS slug,
           COALESCE(a.title, q.question, g.term) AS title,
           COALESCE(a.search_text, q.search_text, g.search_text) AS body
    FROM shown
    LEFT JOIN {_ARTICLE} a ON shown.kind = 1 AND a.id = shown.id
    LEFT JOIN {_QUESTION} q ON shown.kind = 2 AND q.id = shown.id
    LEFT JOIN {_GLOSSARY} g ON shown.kind = 3 AND g.id = shown.id
)
SELECT kind, slug, title, body, rank, ts_headline('english', body, {_TSQUERY}, %(options)s)
FROM picked
ORDER BY rank DESC, {_ORDER}
"""


_HEADLINE_OPTIONS = (
    f"StartSel={_MARK_START}, StopSel={_MARK_END}, MaxWords={_SNIPPET_WORDS}, MinWords=12, MaxFragments=1"
)


def _search_postgresql(query: str, limit: int) -> list[SearchResult]:
    # websearch_to_tsquery accepts any text (quotes, "or", "-word", stray operators) without a syntax error;
    # only NUL is refused by PostgreSQL, and _clean() has removed it.
    with connection.cursor() as cursor:
        cursor.execute(
            _POSTGRESQL_SQL,
            {
                "query": query,
                "published": Status.PUBLISHED.value,
                "limit": limit,
                "options": _HEADLINE_OPTIONS,
            },
        )
        rows = cursor.fetchall()
    return [
        _result(kind, slug, title, _with_ellipses(snippet, body), float(rank))
        for kind, slug, title, body, rank, snippet in rows
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


def _result(kind: int, slug: str, title: str, snippet: str, rank: float) -> SearchResult:
    kind_name = _KINDS[kind]
    url = _MODELS[kind_name](slug=slug).get_absolute_url()
    return SearchResult(
        kind=kind_name, title=_clean(title), url=url, snippet_html=_snippet_html(snippet), rank=rank
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


def _without_marks(column: str) -> str:
    # The titles as articles.search_text.clean_text leaves text: without the snippet marker characters.
    return f"replace(replace({column}, char({ord(_MARK_START)}), ''), char({ord(_MARK_END)}), '')"


# The documents a visitor may find, numbered in listing order so that FTS5's rowid settles ties.
_SQLITE_FILL = f"""
INSERT INTO {_FTS_TABLE} (rowid, title, body, kind, slug)
SELECT row_number() OVER (ORDER BY {_ORDER}), title, body, kind, slug FROM (
    SELECT 1 AS kind, a.id, a."order" AS s1, 0 AS s2, a.title AS s3, a.slug,
           {_without_marks("a.title")} AS title, a.search_text AS body
    FROM {_ARTICLE} a WHERE a.status = %s
    UNION ALL
    SELECT 2, q.id, c."order", q."order", q.question, q.slug, {_without_marks("q.question")}, q.search_text
    FROM {_QUESTION} q JOIN {_CATEGORY} c ON c.id = q.category_id WHERE q.status = %s
    UNION ALL
    SELECT 3, g.id, 0, 0, g.term, g.slug, {_without_marks("g.term")}, g.search_text
    FROM {_GLOSSARY} g
)
"""


def _search_sqlite(query: str, limit: int) -> list[SearchResult]:
    match = fts5_query(query)
    if not match:
        return []
    with connection.cursor() as cursor:
        # A TEMP table lives in this connection only: concurrent requests each get their own. It is filled
        # from the stored text inside SQLite; nothing passes through Python but the results.
        cursor.execute(f"DROP TABLE IF EXISTS {_FTS_TABLE}")
        try:
            # Porter stemming, like PostgreSQL's English configuration: "migraines" finds "migraine".
            cursor.execute(
                f"CREATE VIRTUAL TABLE {_FTS_TABLE} USING fts5("
                "title, body, kind UNINDEXED, slug UNINDEXED, "
                "tokenize = 'porter unicode61 remove_diacritics 2')"
            )
            cursor.execute(_SQLITE_FILL, [Status.PUBLISHED.value, Status.PUBLISHED.value])
            # bm25() is lower-is-better; a title match weighs as much as ten in the body (PostgreSQL: A vs B).
            cursor.execute(
                f"SELECT kind, slug, title, -bm25(ivmt_site_search, 10.0, 1.0) AS score, "
                f"snippet(ivmt_site_search, 1, %s, %s, %s, %s) "
                f"FROM {_FTS_TABLE} WHERE ivmt_site_search MATCH %s "
                f"ORDER BY score DESC, rowid LIMIT %s",
                [_MARK_START, _MARK_END, _ELLIPSIS, _SNIPPET_WORDS, match, limit],
            )
            rows = cursor.fetchall()
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {_FTS_TABLE}")
    return [_result(kind, slug, title, snippet, float(rank)) for kind, slug, title, rank, snippet in rows]
