"""The rules every Markdown body keeps, in one function (`body_problems`) that the loader, the admin forms,
the editor's preview and publishing all call: care cards, citations, pictures and shared blocks written as
the renderer reads them (a typo is refused, not shown as something else), every citation a known reference,
and a topic page's shape (key points first, and an honest account of what is not known). A body shown on
every page (the disclaimer) keeps the same rules, and cites nothing and uses no shared block."""

import re
from collections.abc import Collection
from typing import NamedTuple

from articles.rendering.care_cards import card_problems
from articles.rendering.citations import (
    CITATION,
    CITATION_KEY,
    citation_problems,
    meant_citations,
    unknown_citations,
)
from articles.rendering.input_limits import limit_problems
from articles.rendering.pictures import picture_problems
from articles.rendering.shared_blocks import BLOCK_LINE, block_lines, block_problems

MAX_KEY_POINTS = 5
_KEY_POINTS = re.compile(r"^##\s+Key points\s*$", re.IGNORECASE)
_KNOWN_UNKNOWN = re.compile(r"##\s+What we know and what we don[’']t$", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-*+]|\d+\.)\s+\S")


def topic_page_problems(body: str) -> list[str]:
    lines = [line.rstrip() for line in body.splitlines()]
    first = next((line for line in lines if line.strip()), "")
    problems = []
    if not _KEY_POINTS.match(first):
        problems.append("a topic page must start with the heading '## Key points'")
    else:
        start = lines.index(first) + 1
        end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
        bullets = sum(1 for line in lines[start:end] if _BULLET.match(line))
        if not 1 <= bullets <= MAX_KEY_POINTS:
            problems.append(f"'Key points' must be a list of 1 to {MAX_KEY_POINTS} bullets, not {bullets}")
    if not any(_KNOWN_UNKNOWN.match(line) for line in lines if line.startswith("##")):
        problems.append("a topic page needs a section '## What we know and what we don't'")
    return problems


def closing_section_problems(body: str, heading: str) -> list[str]:
    """The body must end with the section `heading`, which cites nothing (the options page's certification,
    which readers' summaries show with a reference list of their own)."""
    headings = re.findall(r"^## +(.+?)\s*$", body, re.MULTILINE)
    if not headings or headings[-1] != heading:
        return [f"this page must end with a section '## {heading}'"]
    if CITATION.search(body[body.rindex(f"## {heading}") :]):
        return [f"'## {heading}' may not cite a source: summaries show it with a reference list of their own"]
    return []


class BodyProblem(NamedTuple):
    line: int | None  # line of the body, when the problem has one
    message: str  # lower-case, to follow "file:line: " or "Line N: "


def body_problems(
    text: str,
    *,
    reference_keys: Collection[str],
    block_names: Collection[str],
    in_block: bool,
    topic_page: bool,
    closing_section: str | None = None,
    shown_everywhere: bool = False,
) -> list[BodyProblem]:
    """Everything wrong in one body on its own. `in_block`: the body is a shared block (which may not use
    another); `topic_page`: it must keep a topic page's shape; `closing_section`: the heading of the section
    it must end with (see RenderedBody.closing_section_for); `shown_everywhere`: it is shown on every page
    (the disclaimer), so it may cite nothing and use no shared block."""
    if beyond := limit_problems(text):
        # The other rules (and Markdown) may be slow on such a body: its limits are all there is to say.
        return [BodyProblem(line, message) for line, message in beyond]
    if shown_everywhere:
        return everywhere_problems(text)
    problems = [
        BodyProblem(line, problem)
        for line, problem in [
            *card_problems(text),
            *citation_problems(text),
            *block_problems(text, block_names, in_block=in_block),
            *picture_problems(text),
        ]
    ]
    problems += [
        BodyProblem(miss.line, f"[@{miss.key}] is not a reference: add it to the references first")
        for miss in unknown_citations(text, reference_keys)
        if CITATION_KEY.match(miss.key)  # a key written wrongly is reported as such, above
    ]
    if topic_page:
        problems += [BodyProblem(None, problem) for problem in topic_page_problems(text)]
    if closing_section:
        problems += [
            BodyProblem(None, problem) for problem in closing_section_problems(text, closing_section)
        ]
    return problems


EVERYWHERE = "this text is shown on every page, with no reference list and no shared blocks"


def everywhere_problems(text: str) -> list[BodyProblem]:
    """A body shown on every page: care cards and pictures as in any body; a citation, however written, and a
    shared block line are refused (a citation would show as raw text, a block as nothing)."""
    problems = [*card_problems(text), *picture_problems(text)]
    problems += [
        (line, f"{written} cites a source, but {EVERYWHERE}: remove it")
        for line, written in meant_citations(text)
    ]
    problems += [
        (text.count("\n", 0, match.start()) + 1, f"{match[0].strip()} uses a shared block, but {EVERYWHERE}")
        for match in block_lines(text)
    ]
    problems += [
        (line, problem)
        for line, problem in block_problems(text, ())
        if not BLOCK_LINE.match(text.splitlines()[line - 1])  # a block line written wrongly
    ]
    return sorted((BodyProblem(line, problem) for line, problem in problems), key=lambda p: p.line or 0)
