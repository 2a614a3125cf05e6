"""Site search over published pages, published FAQ answers and the glossary.

One interface, `search()`, with a backend per database vendor: PostgreSQL full-text search, or an SQLite FTS5
table built for the query. Both index the same documents, built here in Python (the plain text of the stored,
sanitized HTML), so both answer with the same kinds of results and the same shape of snippet.

The site has a few dozen public documents, so indexing them per query costs a few milliseconds and needs no
extra table, migration or signal to keep in step with the admin and `loadcontent`.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, GlossaryTerm
from faq.models import Question

Kind = Literal["page", "faq", "glossary"]

# Longer queries are cut to this many characters before searching: no real question needs more, and it keeps
# hostile input from costing anything.
MAX_QUERY_LENGTH = 200

# Match markers put into snippets by the database. Private-use characters never occur in the site's text (they
# are removed from it and from the query), so they can be swapped for <mark> after the text is escaped.
_MARK_START = "\ue000"
_MARK_END = "\ue001"
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
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)


@dataclass(frozen=True)
class SearchResult:
    kind: Kind
    title: str
    url: str
    snippet_html: SafeString  # escaped text; only the <mark> tags around matches are markup
    rank: float  # higher is better; only comparable within one search


@dataclass(frozen=True)
class _Document:
    kind: Kind
    title: str
    url: str
    text: str


class _TextExtractor(HTMLParser):
    """The readable text of sanitized HTML, with a space where one block ends and the next begins."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._sup_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "sup":
            self._sup_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self._sup_depth = max(0, self._sup_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        # Citation markers ("[1]") sit in <sup> right after a word; indexed, they would only add noise.
        if not self._sup_depth:
            self.parts.append(data)


def _clean(text: str) -> str:
    """Text safe to index and to hand to either database: no NUL, no marker characters, single spaces."""
    text = text.replace("\x00", " ").replace(_MARK_START, "").replace(_MARK_END, "")
    return " ".join(text.split())


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return _clean("".join(extractor.parts))


def _documents() -> list[_Document]:
    """Everything a visitor may find: published pages and answers, and every glossary term."""
    docs: list[_Document] = []
    for article in Article.objects.published().only("slug", "title", "summary", "body_html"):
        text = f"{article.summary} {html_to_text(article.body_html)}"
        docs.append(_Document("page", _clean(article.title), article.get_absolute_url(), _clean(text)))
    for question in Question.objects.published().only("slug", "question", "answer_html"):
        docs.append(
            _Document(
                "faq",
                _clean(question.question),
                question.get_absolute_url(),
                html_to_text(question.answer_html),
            )
        )
    for term in GlossaryTerm.objects.all():
        text = term.definition
        if term.aliases:
            text += " Also called: " + ", ".join(term.aliases) + "."
        docs.append(_Document("glossary", _clean(term.term), term.get_absolute_url(), _clean(text)))
    return docs


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
    """Published pages, FAQ answers and glossary terms matching `query`, best first. Never raises on input."""
    query = _normalize_query(query)
    if not query or limit <= 0:
        return []
    docs = _documents()
    if not docs:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(query, docs, limit)
    return _search_sqlite(query, docs, limit)


# --- PostgreSQL ---

# The documents go in as arrays rather than being read from their tables because the text to index is built in
# Python from the stored HTML (see html_to_text). The functions are the ones SearchVector, SearchQuery
# (search_type="websearch", config="english"), SearchRank and SearchHeadline generate; the Django expressions
# need a model column to work on, which this text is not.
_POSTGRESQL_SQL = """
WITH docs AS (
    SELECT d.idx, d.title, d.body,
           setweight(to_tsvector('english', d.title), 'A') || setweight(to_tsvector('english', d.body), 'B')
               AS vector
    FROM unnest(%(titles)s::text[], %(bodies)s::text[]) WITH ORDINALITY AS d(title, body, idx)
), q AS (
    SELECT websearch_to_tsquery('english', %(query)s) AS query
)
SELECT docs.idx,
       -- Normalization 1 (divide by 1 + log of the length), so that, as with bm25 on SQLite, a short answer
       -- that is about the words is not outranked by a long page that mentions them often.
       ts_rank(docs.vector, q.query, 1) AS rank,
       ts_headline('english', docs.body, q.query, %(options)s) AS snippet
FROM docs, q
WHERE docs.vector @@ q.query
ORDER BY rank DESC, docs.idx
LIMIT %(limit)s
"""


_HEADLINE_OPTIONS = (
    f"StartSel={_MARK_START}, StopSel={_MARK_END}, MaxWords={_SNIPPET_WORDS}, MinWords=12, MaxFragments=1"
)


def _search_postgresql(query: str, docs: list[_Document], limit: int) -> list[SearchResult]:
    # websearch_to_tsquery accepts any text (quotes, "or", "-word", stray operators) without a syntax error;
    # only NUL is refused by PostgreSQL, and _clean() has removed it.
    with connection.cursor() as cursor:
        cursor.execute(
            _POSTGRESQL_SQL,
            {
                "titles": [doc.title for doc in docs],
                "bodies": [doc.text for doc in docs],
                "query": query,
                "limit": limit,
                "options": _HEADLINE_OPTIONS,
            },
        )
        rows = cursor.fetchall()
    results = []
    for idx, rank, snippet in rows:
        doc = docs[idx - 1]  # WITH ORDINALITY counts from 1
        results.append(_result(doc, _with_ellipses(snippet, doc.text), float(rank)))
    return results


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


def _result(doc: _Document, snippet: str, rank: float) -> SearchResult:
    return SearchResult(
        kind=doc.kind, title=doc.title, url=doc.url, snippet_html=_snippet_html(snippet), rank=rank
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


def _search_sqlite(query: str, docs: list[_Document], limit: int) -> list[SearchResult]:
    match = fts5_query(query)
    if not match:
        return []
    with connection.cursor() as cursor:
        # A TEMP table lives in this connection only: concurrent requests each get their own.
        cursor.execute(f"DROP TABLE IF EXISTS {_FTS_TABLE}")
        try:
            # Porter stemming, like PostgreSQL's English configuration: "migraines" finds "migraine".
            cursor.execute(
                f"CREATE VIRTUAL TABLE {_FTS_TABLE} USING fts5("
                "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
            )
            cursor.executemany(
                f"INSERT INTO {_FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [(i, doc.title, doc.text) for i, doc in enumerate(docs)],
            )
            # bm25() is lower-is-better; a title match weighs as much as ten in the body (PostgreSQL: A vs B).
            cursor.execute(
                f"SELECT rowid, -bm25(ivmt_site_search, 10.0, 1.0) AS score, "
                f"snippet(ivmt_site_search, 1, %s, %s, %s, %s) "
                f"FROM {_FTS_TABLE} WHERE ivmt_site_search MATCH %s "
                f"ORDER BY score DESC, rowid LIMIT %s",
                [_MARK_START, _MARK_END, _ELLIPSIS, _SNIPPET_WORDS, match, limit],
            )
            rows = cursor.fetchall()
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {_FTS_TABLE}")
    return [_result(docs[idx], snippet, float(rank)) for idx, rank, snippet in rows]
