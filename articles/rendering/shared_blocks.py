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


def blocks_used(text: str) -> list[str]:
    """The names of the blocks `text` uses, each once, in order of first use."""
    return list(dict.fromkeys(BLOCK_LINE.findall(text)))


def expanded_length(text: str, blocks: Mapping[str, str]) -> int:
    """How long `text` is with its blocks put in, counted without putting them in (a page may use a big
    block thousands of times)."""
    return len(text) + sum(
        len(blocks.get(match.group(1), "").strip("\n")) - len(match.group(0))
        for match in BLOCK_LINE.finditer(text)
    )


def expanded_limit_problems(text: str, blocks: Mapping[str, str]) -> list[LimitProblem]:
    """What is beyond the input limits in `text` with its blocks put in (within them alone, it may not be)."""
    length = expanded_length(text, blocks)
    if length > MAX_BODY_CHARACTERS:
        return [
            LimitProblem(
                None,
                f"with its shared blocks put in, the text is {length:,} characters long; the limit is "
                f"{MAX_BODY_CHARACTERS:,}: use fewer or shorter blocks",
            )
        ]
    return joined_limit_problems(_put_in(text, blocks))  # the page and each block are within them alone


def expand_blocks(text: str, blocks: Mapping[str, str]) -> str:
    """`text` with each block line replaced by that block's Markdown. A name that is not a block (the
    loader and the admin refuse those before saving) is replaced by nothing. Raises BodyTooComplex, before
    building it, when the result would be beyond the input limits."""
    if problems := expanded_limit_problems(text, blocks):
        raise BodyTooComplex(problems)
    return _put_in(text, blocks)


def _put_in(text: str, blocks: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        return blocks.get(match.group(1), "").strip("\n")

    return BLOCK_LINE.sub(replace, text)


def block_problems(text: str, known: Container[str], *, in_block: bool = False) -> list[tuple[int, str]]:
    """(line, problem) for each block line that is unknown or mistyped; in a block's own body, for any
    block line at all (a block cannot use another)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
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
