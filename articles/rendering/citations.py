"""Citations: `[@key]` in a body becomes a numbered link to the page's reference list.

Numbers follow the order in which keys are first cited, so a page's list reads 1, 2, 3 from the top.
"""

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

CITATION = re.compile(r"\[@([^\]\s]+)\]")


@dataclass(frozen=True)
class UnknownCitation:
    key: str
    line: int


@dataclass(frozen=True)
class CitedText:
    markdown: str  # the body with each known citation replaced by its numbered link
    keys: tuple[str, ...]  # cited reference keys, in citation-number order
    unknown: tuple[UnknownCitation, ...]  # citations of keys that are not references; left as written


def citation_anchor(prefix: str, key: str) -> str:
    return f"{prefix}{key}"


def link_citations(
    text: str, known: Container[str], *, anchor_prefix: str = "ref-", cited_before: Sequence[str] = ()
) -> CitedText:
    """`cited_before`: keys the page has already numbered, in order (text that joins a page's own list,
    such as the decision aid's table after its article). They keep their numbers; new keys are numbered
    after them, and the result's `keys` holds both."""
    keys: list[str] = list(cited_before)
    unknown: list[UnknownCitation] = []

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in known:
            line = text.count("\n", 0, match.start()) + 1
            unknown.append(UnknownCitation(key=key, line=line))
            return match.group(0)
        if key not in keys:
            keys.append(key)
        number = keys.index(key) + 1
        anchor = citation_anchor(anchor_prefix, key)
        return f'<sup><a class="citation" href="#{anchor}">[{number}]</a></sup>'

    linked = CITATION.sub(replace, text)
    return CitedText(markdown=linked, keys=tuple(keys), unknown=tuple(unknown))
