"""Reading level of a page, measured on the sanitized HTML a reader actually sees.

textstat is pinned to 0.7.8: later releases download data at run time and fail offline. Each heading, list
item, table cell and paragraph counts as its own sentence (a list of short items is easy to read, and textstat
would otherwise read a whole list as one endless sentence). Citation numbers and the visually hidden care-card
prefixes are left out: they are not prose; so are the labels inside pictures (svg).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import textstat

from articles.rendering.care_cards import VISUALLY_HIDDEN

BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "blockquote", "div", "dt", "dd", "summary"}
)
KEY_POINTS_HEADING = "key points"

# The site's bar (the content standards): Flesch-Kincaid grade 8 or lower for a page's text, 6 or lower for
# its key points and every care card, SMOG 12 at most (used by the readability tests and
# the editor's preview).
MAIN_GRADE_TARGET = 8
KEY_POINTS_GRADE_TARGET = 6
CARE_CARD_GRADE_TARGET = 6
SMOG_CEILING = 12


@dataclass(frozen=True)
class Readability:
    grade: float  # Flesch-Kincaid grade
    smog: float


@dataclass
class _Segments:
    main: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    care_cards: list[list[str]] = field(default_factory=list)


class _TextCollector(HTMLParser):
    """Splits a body into sentences, noting which belong to the key points and to each care card."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments = _Segments()
        self._buffer: list[str] = []
        self._skip_depth = 0
        self._stack: list[str] = []
        self._card_depth: int | None = None
        self._last_heading = ""
        self._in_key_points_list: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in {"br", "hr", "img"}:
            return
        self._stack.append(tag)
        # A picture's labels are not prose: its caption carries its message in sentences.
        if self._skip_depth or tag in {"sup", "svg"} or VISUALLY_HIDDEN in classes:
            self._skip_depth += 1
            return
        if tag in BLOCKS:
            self._flush()
        if tag == "div" and ("care-card" in classes or "callout" in classes) and self._card_depth is None:
            self._card_depth = len(self._stack)
            self.segments.care_cards.append([])
        if (
            tag in {"ul", "ol"}
            and self._in_key_points_list is None
            and self._last_heading == KEY_POINTS_HEADING
        ):
            self._in_key_points_list = len(self._stack)

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        depth = len(self._stack)
        self._stack.pop()
        if self._skip_depth:
            self._skip_depth -= 1
            return
        if tag in BLOCKS:
            sentence = self._flush()
            if tag in {"h2", "h3", "h4"}:
                self._last_heading = sentence.rstrip(".").strip().lower()
        if self._card_depth == depth:
            self._card_depth = None
        if self._in_key_points_list == depth:
            self._in_key_points_list = None
            self._last_heading = ""

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def _flush(self) -> str:
        sentence = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if not sentence:
            return ""
        if sentence[-1] not in ".!?:;":
            sentence += "."
        self.segments.main.append(sentence)
        if self._card_depth is not None:
            self.segments.care_cards[-1].append(sentence)
        if self._in_key_points_list is not None:
            self.segments.key_points.append(sentence)
        return sentence

    def close(self) -> None:
        super().close()
        self._flush()


def measure(sentences: list[str]) -> Readability | None:
    text = " ".join(sentences)
    if not text.strip():
        return None
    return Readability(
        grade=round(textstat.flesch_kincaid_grade(text), 1), smog=round(textstat.smog_index(text), 1)
    )


@dataclass(frozen=True)
class PageReadability:
    main: Readability | None
    key_points: Readability | None
    hardest_care_card: Readability | None  # the care card with the highest grade


def page_readability(html: str) -> PageReadability:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    segments = collector.segments
    cards = [reading for card in segments.care_cards if (reading := measure(card))]
    return PageReadability(
        main=measure(segments.main),
        key_points=measure(segments.key_points),
        hardest_care_card=max(cards, key=lambda reading: reading.grade, default=None),
    )
