"""Shared blocks: content written once and shown on many pages, such as an emergency care card.

A page body uses a block with a line of its own:

    {{ block drip-emergency }}

Before citations and Markdown, each such line is replaced by the block's Markdown, so a block's citations
join the page's own reference list and its care cards render as the page's do. Changing a block changes
every page that uses it (the pages are rendered again). A block cannot use another block.
"""

import re
from collections.abc import Container, Mapping

from articles.rendering.input_limits import (
    MAX_BODY_CHARACTERS,
    BodyTooComplex,
    LimitProblem,
    joined_limit_problems,
)

BLOCK_LINE = re.compile(r"^\{\{\s*block\s+(\S+?)\s*\}\}[ \t]*$", re.MULTILINE)
# A line that looks meant as a block but is not written as one: reported rather than shown as typed.
_ALMOST_BLOCK = re.compile(r"^\s*\{\{.*\}\}\s*$|^\s*\{\{\s*block\b")
BLOCK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SYNTAX = "{{ block name }}"


_LINE_STARTING_BLOCK = re.compile(r"\n\{\{")


def block_lines(text: str) -> list[re.Match[str]]:
    """What BLOCK_LINE.finditer(text) finds, faster: the expression is tried only where a line starts with
    '{{' (tried at every character, its '^' made reading a page's blocks cost more than checking the page)."""
    starts = [0] if text.startswith("{{") else []
    starts += [found.start() + 1 for found in _LINE_STARTING_BLOCK.finditer(text)]
    matches: list[re.Match[str]] = []
    for start in starts:
        if matches and start < matches[-1].end():
            continue  # inside the last match (its spaces may run over a line break)
        if match := BLOCK_LINE.match(text, start):
            matches.append(match)
    return matches


def blocks_used(text: str) -> list[str]:
    """The names of the blocks `text` uses, each once, in order of first use."""
    return list(dict.fromkeys(match.group(1) for match in block_lines(text)))


def expanded_length(text: str, blocks: Mapping[str, str], lines: list[re.Match[str]]) -> int:
    """How long `text` is with its blocks put in, counted without putting them in (a page may use a big
    block thousands of times). `lines`: block_lines(text)."""
    return len(text) + sum(
        len(blocks.get(match.group(1), "").strip("\n")) - len(match.group(0)) for match in lines
    )


def expanded_limit_problems(text: str, blocks: Mapping[str, str]) -> list[LimitProblem]:
    """What is beyond the input limits in `text` with its blocks put in (within them alone, it may not be)."""
    return _expanded(text, blocks)[1]


def expand_blocks(text: str, blocks: Mapping[str, str]) -> str:
    """`text` with each block line replaced by that block's Markdown. A name that is not a block (the
    loader and the admin refuse those before saving) is replaced by nothing. Raises BodyTooComplex, before
    building it, when the result would be beyond the input limits."""
    expanded, problems = _expanded(text, blocks)
    if problems:
        raise BodyTooComplex(problems)
    return expanded


def _expanded(text: str, blocks: Mapping[str, str]) -> tuple[str, list[LimitProblem]]:
    """`text` with its blocks put in ("" when that would be too long to build), and what in it is beyond the
    input limits."""
    lines = block_lines(text)
    length = expanded_length(text, blocks, lines)
    if length > MAX_BODY_CHARACTERS:
        message = (
            f"with its shared blocks put in, the text is {length:,} characters long; the limit is "
            f"{MAX_BODY_CHARACTERS:,}: use fewer or shorter blocks"
        )
        return "", [LimitProblem(None, message)]
    expanded = _put_in(text, blocks, lines)
    # The page and each block are within the limits of a line alone: only what adds up is checked.
    return expanded, joined_limit_problems(expanded)


def _put_in(text: str, blocks: Mapping[str, str], lines: list[re.Match[str]]) -> str:
    """What BLOCK_LINE.sub would make, each block line replaced by its block. `lines`: block_lines(text)."""
    parts = []
    end = 0
    for match in lines:
        parts += [text[end : match.start()], blocks.get(match.group(1), "").strip("\n")]
        end = match.end()
    parts.append(text[end:])
    return "".join(parts)


def block_problems(text: str, known: Container[str], *, in_block: bool = False) -> list[tuple[int, str]]:
    """(line, problem) for each block line that is unknown or mistyped; in a block's own body, for any
    block line at all (a block cannot use another)."""
    if "{{" not in text:
        return []  # every block line, and every line that looks meant as one, holds '{{'
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "{{" not in line:
            continue
        match = BLOCK_LINE.match(line)
        if match is None:
            if _ALMOST_BLOCK.match(line):
                written = line.strip()
                problems.append(
                    (number, f"write a shared block alone on a line, as {SYNTAX}, not {written!r}")
                )
            continue
        name = match.group(1)
        if in_block:
            problems.append((number, f"a shared block cannot use another block ({name!r})"))
        elif name not in known:
            problems.append((number, f"uses the shared block {name!r}, which does not exist"))
    return problems
