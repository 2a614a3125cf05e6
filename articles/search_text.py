"""The plain text site search indexes, derived from a record's stored, sanitized HTML when it is saved.

Pages, FAQ answers and glossary terms store this text in `search_text` beside their HTML (render on write), so
a search reads it instead of parsing every page's HTML per query. On PostgreSQL a generated tsvector column
built from the title and this text carries the full-text index (migrations 0008 and faq 0004).
"""

from collections.abc import Sequence
from html.parser import HTMLParser

# Match markers put into snippets by the database (see articles.search). They are removed from the indexed
# text so that they can be swapped for <mark> after a snippet is escaped.
MARK_START = "\ue000"
MARK_END = "\ue001"

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
