"""Citations: `[@key]` in a body becomes a numbered link to the page's reference list.

Numbers follow the order in which keys are first cited, so a page's list reads 1, 2, 3 from the top.
"""

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from operator import itemgetter

CITATION = re.compile(r"\[@([^\]\s]+)\]")
# A reference's key (articles.models.SLUG_PATTERN): lowercase words joined by single hyphens.
_KEY = r"[a-z0-9]+(?:-[a-z0-9]+)*"
CITATION_KEY = re.compile(rf"^{_KEY}$")
# Where a citation is meant: "[" and "@", perhaps with spaces between; what follows, up to "]" on its line
# (it never reaches past a line break: any of those str.splitlines() splits at).
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_MEANT_CITATION = re.compile(rf"\[[^\S{_LINE_BREAKS}]*@(?P<inside>[^\]{_LINE_BREAKS}]*)(?P<close>\]?)")
# A citation written as it should be: [@key], with nothing else inside.
_WELL_WRITTEN = re.compile(rf"\[@{_KEY}\]")
_WHOLE_MATCH = itemgetter(0)


@dataclass(frozen=True)
class UnknownCitation:
    key: str
    line: int


@dataclass(frozen=True)
class CitedText:
    markdown: str  # the body with each known citation replaced by its numbered link
    keys: tuple[str, ...]  # cited reference keys, in citation-number order
    unknown: tuple[UnknownCitation, ...]  # citations of keys that are not references; left as written


def citation_problems(text: str) -> list[tuple[int, str]]:
    """(line, problem) for each citation not written as `[@key]`: spaces inside, no closing bracket, several
    keys in one pair of brackets, or a key that is not lowercase letters, digits and hyphens. Each problem
    shows the citation as it should be written."""
    if all(map(_WELL_WRITTEN.fullmatch, map(_WHOLE_MATCH, _MEANT_CITATION.finditer(text)))):
        return []  # the usual case, found without splitting the text into lines
    return [
        (number, _citation_problem(match[0], match["inside"], closed=bool(match["close"])))
        for number, line in enumerate(text.splitlines(), start=1)
        for match in _MEANT_CITATION.finditer(line)
        if not _WELL_WRITTEN.fullmatch(match[0])
    ]


def meant_citations(text: str) -> list[tuple[int, str]]:
    """(line, citation as written) for every citation meant in `text`, well written or not."""
    return [
        (number, match[0])
        for number, line in enumerate(text.splitlines(), start=1)
        for match in _MEANT_CITATION.finditer(line)
    ]


def _citation_problem(written: str, inside: str, *, closed: bool) -> str:
    keys = [key for key in re.split(r"[\s,;@]+", inside) if key]
    if not closed:
        written = re.match(r"\[\s*@\s*\S*", written)[0]  # up to the end of the first word
        keys = keys[:1]
    fixed = "".join(f"[@{key.lower()}]" for key in keys) or "[@key]"
    if not closed:
        reason = "is not closed with ]"
    elif len(keys) > 1:
        reason = "names several references in one pair of brackets"
    elif any(character.isspace() for character in written):
        reason = "has a space inside its brackets"
    else:
        reason = "does not name a key as references have them (lowercase letters, digits and hyphens)"
    return f"the citation {written} {reason}: write {fixed}"


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
            unknown.append(_unknown(text, match))
            return match.group(0)
        if key not in keys:
            keys.append(key)
        number = keys.index(key) + 1
        anchor = citation_anchor(anchor_prefix, key)
        return f'<sup><a class="citation" href="#{anchor}">[{number}]</a></sup>'

    linked = CITATION.sub(replace, text)
    return CitedText(markdown=linked, keys=tuple(keys), unknown=tuple(unknown))


def unknown_citations(text: str, known: Container[str]) -> list[UnknownCitation]:
    """The citations in `text` of keys not in `known` (which link_citations leaves as written)."""
    if all(map(known.__contains__, CITATION.findall(text))):
        return []  # the usual case, told without finding where each citation is
    return [_unknown(text, match) for match in CITATION.finditer(text) if match.group(1) not in known]


def _unknown(text: str, match: re.Match[str]) -> UnknownCitation:
    return UnknownCitation(key=match.group(1), line=text.count("\n", 0, match.start()) + 1)
