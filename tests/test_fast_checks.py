"""The fast forms of the loader's checks (written for its speed: a 10,000-page reload) find exactly what the
plain forms find, on random texts made of the characters the checks look at; and telling an unchanged record
without its fingerprint never calls a changed one unchanged."""

import random
import re
from datetime import date
from decimal import Decimal

import pytest

from articles.fingerprints import fingerprint, same_values
from articles.rendering.citations import (
    _MEANT_CITATION,
    _WELL_WRITTEN,
    _citation_problem,
    citation_problems,
)
from articles.rendering.input_limits import (
    MAX_BRACKET_READ_AHEAD,
    MAX_WORD_CHARACTERS,
    bracket_read_ahead,
    long_word,
    tag_read_ahead,
)
from articles.rendering.shared_blocks import BLOCK_LINE, _put_in, block_lines

PIECES = [
    "{{",
    "}}",
    "block",
    " ",
    "\t",
    "\n",
    "\r",
    "\u2028",
    "\x0c",
    "x",
    "drip-emergency",
    "[",
    "]",
    "@",
    "a-b",
    "A",
]


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(PIECES, k=rng.randint(0, 60))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(5))
def test_block_lines_are_what_the_expression_finds_anywhere(seed: int) -> None:
    blocks = {"drip-emergency": "\n**card**\n", "x": "X"}
    for text in random_texts(2000, seed):
        expected = [(match.span(), match.group(1)) for match in BLOCK_LINE.finditer(text)]
        assert [(match.span(), match.group(1)) for match in block_lines(text)] == expected, repr(text)
        assert _put_in(text, blocks, block_lines(text)) == BLOCK_LINE.sub(
            lambda m: blocks.get(m[1], "").strip("\n"), text
        )


def citation_problems_line_by_line(text: str) -> list[tuple[int, str]]:
    return [
        (number, _citation_problem(match[0], match["inside"], closed=bool(match["close"])))
        for number, line in enumerate(text.splitlines(), start=1)
        for match in _MEANT_CITATION.finditer(line)
        if not _WELL_WRITTEN.fullmatch(match[0])
    ]


@pytest.mark.parametrize("seed", range(5))
def test_citation_problems_are_found_as_line_by_line(seed: int) -> None:
    texts = random_texts(2000, seed) + ["[@a-b] and [ @a-b]\n[@A]", "[@a-b]\u2028[@x y]", "[\n@a-b]"]
    with_problems = 0
    for text in texts:
        expected = citation_problems_line_by_line(text)
        assert citation_problems(text) == expected, repr(text)
        with_problems += bool(expected)
    assert with_problems > 100  # the random texts do hold badly written citations


def test_long_words_are_found_past_long_lines_of_short_words() -> None:
    assert long_word(("word " * 1000 + "\n") * 3) is None
    assert long_word("short\n" + "x" * (MAX_WORD_CHARACTERS + 1)) == (MAX_WORD_CHARACTERS + 1, "x" * 2001, 2)
    assert long_word("x" * MAX_WORD_CHARACTERS) is None
    text = "a " * 2000 + "y" * (MAX_WORD_CHARACTERS + 5)
    assert long_word(text)[0] == MAX_WORD_CHARACTERS + 5
    assert re.search(r"\S{2001}", text)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"body": "text", "order": 1}, {"body": "text", "order": 1}),
        ({"order": 1}, {"order": 1.0}),
        ({"order": 1}, {"order": True}),
        ({"x": 0.0}, {"x": -0.0}),
        ({"x": Decimal("1.0")}, {"x": Decimal("1.00")}),
        (
            {"changes": [{"date": "2026-11-30", "summary": "a"}]},
            {"changes": [{"date": "2026-11-30", "summary": "a"}]},
        ),
        ({"changes": [{"n": 1}]}, {"changes": [{"n": 1.0}]}),
        ({"d": date(2026, 11, 30)}, {"d": date(2026, 11, 30)}),
        ({"d": date(2026, 11, 30)}, {"d": "2026-11-30"}),
        ({1: "a"}, {True: "a"}),
        ({"a": None}, {"a": ""}),
    ],
)
def test_values_said_the_same_have_the_same_fingerprint(a: dict, b: dict) -> None:
    """same_values spares writing out a record the loader finds unchanged: it may say "different" of values
    with the same fingerprint, never "the same" of values without it."""
    if same_values(a, b):
        assert fingerprint(a) == fingerprint(b)


def test_a_record_as_its_file_has_it_has_the_same_values() -> None:
    values = {
        "title": "T",
        "order": 3,
        "changes": [{"date": "2026-11-30", "summary": "s"}],
        "d": date(2026, 1, 2),
    }
    assert same_values(values, {**values, "changes": [dict(values["changes"][0])]})
    assert not same_values(values, {**values, "title": "U"})


def tag_read_ahead_one_by_one(text: str) -> int:
    total = 0
    for start in re.finditer(r"<[a-zA-Z]", text):
        found = text.find(">", start.start())
        total += (len(text) if found < 0 else found) - start.start()
    return total


def bracket_read_ahead_one_by_one(text: str) -> int:
    """Each '[' to its ']' in the same paragraph, or to the paragraph's end (escaped brackets aside)."""
    total = 0
    for paragraph in paragraphs(text):
        open_at: list[int] = []
        position = 0
        while position < len(paragraph):
            character = paragraph[position]
            if character == "\\" and paragraph[position + 1 : position + 2] not in ("", "\n"):
                position += 2  # an escaped character; a backslash before a line break escapes nothing
                continue
            if character == "[":
                open_at.append(position)
            elif character == "]" and open_at:
                total += position - open_at.pop()
            position += 1
        total += sum(len(paragraph) - start for start in open_at)
    return total


def paragraphs(text: str) -> list[str]:
    """The text cut where a blank line starts."""
    found, start = [], 0
    for blank in re.finditer(r"\n[ \t]*(?=\n)", text):
        found.append(text[start : blank.start()])
        start = blank.start()
    found.append(text[start:])
    return found


READ_AHEAD_PIECES = ["<a", "<b ", ">", "<", "[", "]", "\\[", "\\", "x" * 50, "\n", "\n\n", "\n \n", "word "]
# Long paragraphs with brackets left open: around the bracket limit.
OPEN_BRACKET_PIECES = ["[", "[", "]", "x" * 50, "word ", "\n", "\\", "<a", ">"]


@pytest.mark.parametrize(
    ("seed", "pieces", "longest"), [(0, READ_AHEAD_PIECES, 400), (1, OPEN_BRACKET_PIECES, 4000)]
)
def test_read_ahead_is_measured_as_one_by_one(seed: int, pieces: list[str], longest: int) -> None:
    rng = random.Random(seed)
    sides = set()
    for _ in range(300):
        text = "".join(rng.choices(pieces, k=rng.randint(0, longest)))
        assert tag_read_ahead(text)[0] == tag_read_ahead_one_by_one(text), repr(text)
        measured = bracket_read_ahead(text)[0]
        # Below the limit the fast bound may answer 0: what matters is which side of the limit it is on.
        expected = bracket_read_ahead_one_by_one(text)
        assert (measured > MAX_BRACKET_READ_AHEAD) == (expected > MAX_BRACKET_READ_AHEAD), repr(text)
        assert measured in (0, expected), repr(text)
        sides.add(expected > MAX_BRACKET_READ_AHEAD)
    assert sides == {True, False} or pieces is READ_AHEAD_PIECES
