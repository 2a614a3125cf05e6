"""What site search indexes of a record, and how a record is searched.

Pages, FAQ answers and glossary terms store `search_text` beside their HTML: the plain text of it, derived
when the record is saved (render on write), so a search reads it instead of parsing every page's HTML per
query. On PostgreSQL each also stores `search_vector` (`search_vector_field`): its title and that text as a
tsvector, kept in step by the database on every write, bulk or not, with a GIN index (migrations articles 0013
and faq 0009). `SearchableQuerySet.search()` finds, ranks and quotes records through them with
django.contrib.postgres.search. SQLite has no tsvector: there the column holds an empty string, and site
search (articles.search) builds an FTS5 table from `search_text` for each query instead.
"""

from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any, Self

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import models

# Match markers put into snippets by the database (see articles.search). They are removed from the indexed
# text so that they can be swapped for <mark> after a snippet is escaped.
MARK_START = "\ue000"
MARK_END = "\ue001"

# PostgreSQL's text search configuration for every vector and query: English words, stemmed ("migraines"
# finds "migraine"), without stop words.
SEARCH_CONFIG = "english"

# A snippet is at most this many words: the passage around the matches, one passage per result.
SNIPPET_WORDS = 24

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)

# Citation markers ("[1]") sit in <sup> right after a word, and a picture's (svg) labels are single words and
# numbers whose meaning its caption gives: indexed, they would only add noise.
_SKIPPED = frozenset({"sup", "svg"})


class _TextExtractor(HTMLParser):
    """The readable text of sanitized HTML, with a space where one block ends and the next begins."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def clean_text(text: str) -> str:
    """Text safe to index and to hand to either database: no NUL, no marker characters, single spaces."""
    text = text.replace("\x00", " ").replace(MARK_START, "").replace(MARK_END, "")
    return " ".join(text.split())


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return clean_text("".join(extractor.parts))


def page_search_text(summary: str, body_html: str) -> str:
    return clean_text(f"{summary} {html_to_text(body_html)}")


def answer_search_text(answer_html: str) -> str:
    return html_to_text(answer_html)


def glossary_search_text(definition: str, aliases: Sequence[str]) -> str:
    text = definition
    if aliases:
        text += " Also called: " + ", ".join(aliases) + "."
    return clean_text(text)


class SearchDocument(models.Func):
    """A record's stored search vector: the words of its title (weight A: a title match counts for more) and
    of its search text (weight B), in the English configuration. The expression of `search_vector_field`.

    A frozen copy of this class is in migrations articles 0013 and faq 0009, which made the columns: a change
    here that changes the SQL needs a new migration (with its own frozen copy), which also gives the new
    column the GIN index and STORAGE MAIN those two set up.
    """

    template = "%(expressions)s"
    output_field = SearchVectorField()

    def __init__(self, title: str, text: str) -> None:
        # The title without the snippet markers, as clean_text leaves the text.
        title_words = models.Func(
            models.F(title),
            models.Value(MARK_START + MARK_END),
            models.Value(""),
            function="translate",
            output_field=models.TextField(),
        )
        super().__init__(
            SearchVector(title_words, config=SEARCH_CONFIG, weight="A")
            + SearchVector(text, config=SEARCH_CONFIG, weight="B")
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        # SQLite has no tsvector; search there indexes search_text in FTS5 at query time.
        return "''", []


def search_vector_field(title: str) -> models.GeneratedField:
    """The stored `search_vector` of a record titled by the field `title`, with its text in `search_text`.

    Left out of serialized records (django-reversion's history, dumpdata): the database derives it.
    """
    return models.GeneratedField(
        expression=SearchDocument(title, "search_text"),
        output_field=SearchVectorField(),
        db_persist=True,
        serialize=False,
    )


class SearchableQuerySet[M: models.Model](models.QuerySet[M]):
    """The QuerySet of a model with a `search_vector_field` and its `search_text`."""

    def search(self, query: str) -> Self:
        """These rows matching `query`, best first, each with its `rank` (higher is better) and `headline`:
        the passage of its search text the matches are in, MARK_START and MARK_END around each match.
        PostgreSQL only.

        The query is read as a web search box's: words (all must match), "quoted phrases", "or" between
        alternatives, -word to leave out; no input is a syntax error. Rows of equal rank come in the model's
        Meta.ordering. The match uses the GIN index on the stored vector and the rank reads the stored vector.
        A headline parses the text again: slice the rows, and PostgreSQL makes headlines after the sort and
        the limit, for the rows fetched only.
        """
        words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.filter(search_vector=words)
            .annotate(
                # Normalization 1 (divide by 1 + log of the length), so that, as with bm25 on SQLite, a short
                # answer that is about the words is not outranked by a long page that mentions them often.
                rank=SearchRank(models.F("search_vector"), words, normalization=1),
                headline=SearchHeadline(
                    "search_text",
                    words,
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=SNIPPET_WORDS,
                    min_words=12,
                    max_fragments=1,
                ),
            )
            .order_by("-rank", *self.model._meta.ordering, "pk")
        )
