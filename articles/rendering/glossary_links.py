"""Marks the first use of each glossary term on a page as a link to its glossary entry.

It works on the sanitizer's output, which is well-formed, and changes only text outside links, headings,
citations and code: it adds links whose text is the page's own (already escaped) words and whose target is a
slug, so nothing an author wrote can reach an attribute through it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape, unescape

# Inside a picture (svg) a link would be an SVG link: the picture's words are never linked.
SKIP_INSIDE = frozenset({"a", "h1", "h2", "h3", "h4", "sup", "code", "pre", "abbr", "dfn", "svg"})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
VOID = frozenset({"br", "hr", "img"})


@dataclass(frozen=True)
class TermMatcher:
    url: str  # the term's glossary entry (GlossaryTerm.url_for builds it)
    phrases: tuple[str, ...]  # the term and its aliases


def _pattern(matchers: Iterable[TermMatcher]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    url_of: dict[str, str] = {}
    for matcher in matchers:
        for phrase in matcher.phrases:
            url_of.setdefault(phrase.lower(), matcher.url)
    if not url_of:
        return None, url_of
    # Longest first, so "thunderclap headache" wins over "headache".
    alternatives = "|".join(re.escape(escape(p)) for p in sorted(url_of, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE), url_of


def link_glossary_terms(html: str, matchers: Iterable[TermMatcher]) -> str:
    pattern, url_of = _pattern(matchers)
    if pattern is None:
        return html
    used: set[str] = set()
    out: list[str] = []
    open_tags: list[str] = []
    position = 0

    def link_first_uses(text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            url = url_of[unescape(match.group(1)).lower()]
            if url in used:
                return match.group(0)
            used.add(url)
            return f'<a class="glossary-term" href="{escape(url)}">{match.group(0)}</a>'

        return pattern.sub(replace, text)

    for tag in _TAG.finditer(html):
        text = html[position : tag.start()]
        out.append(text if SKIP_INSIDE.intersection(open_tags) else link_first_uses(text))
        out.append(tag.group(0))
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            if name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
        elif not self_closing and name not in VOID:
            open_tags.append(name)
        position = tag.end()
    tail = html[position:]
    out.append(tail if SKIP_INSIDE.intersection(open_tags) else link_first_uses(tail))
    return "".join(out)
