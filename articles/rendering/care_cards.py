"""Care cards and warning callouts, in the manner of the NHS website.

Authors write Python-Markdown's admonition syntax:

    !!! emergency "Call 911 or your local emergency number (UK 999, EU 112, Australia 000) now if you:"
        - have trouble breathing

and this extension turns each admonition into an accessible card whose heading starts with a visually hidden
prefix ("Immediate action required:"), so a screen-reader user hears how urgent it is before what to do.
The output still goes through the sanitizer, whose allowlist knows these classes.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.extensions.admonition import AdmonitionExtension
from markdown.treeprocessors import Treeprocessor


@dataclass(frozen=True)
class CardLevel:
    css_class: str
    prefix: str


# Two plain components share the syntax: inset text (a quiet aside) and an expander (native <details>).
INSET = "inset"
DETAILS = "details"
CARD_LEVELS: dict[str, CardLevel] = {
    "non-urgent": CardLevel("care-card care-card--non-urgent", "Non-urgent advice: "),
    "urgent": CardLevel("care-card care-card--urgent", "Urgent advice: "),
    "emergency": CardLevel("care-card care-card--emergency", "Immediate action required: "),
    "warning": CardLevel("callout callout--warning", "Important: "),
}
CARD_CLASSES = frozenset(
    {word for level in CARD_LEVELS.values() for word in level.css_class.split()}
    | {"care-card__content", "care-card__heading", "inset-text"}
)
BLOCK_KINDS = (*CARD_LEVELS, INSET, DETAILS)
VISUALLY_HIDDEN = "visually-hidden"

_CARD_LINE = re.compile(r'^!!! ?(\S+)(?: +"(.*?)")? *$')


def card_problems(text: str) -> list[tuple[int, str]]:
    """(line, problem) for each card an author wrote wrongly: an unknown level or no heading."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _CARD_LINE.match(line)
        if not match:
            continue
        level, heading = match.groups()
        if level not in BLOCK_KINDS:
            known = ", ".join(BLOCK_KINDS)
            problems.append((number, f"care card level {level!r} is not one of {known}"))
        elif level == INSET:
            continue  # inset text needs no heading
        elif not heading:
            example = f'!!! {level} "Get help today if you:"'
            problems.append((number, f"care card needs a heading in quotes: {example}"))
    return problems


class _CareCardTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for div in list(root.iter("div")):
            classes = div.get("class", "").split()
            if classes[:1] != ["admonition"] or len(classes) != 2 or classes[1] not in BLOCK_KINDS:
                continue
            children = list(div)
            title = children[0] if children and children[0].get("class") == "admonition-title" else None
            body = [child for child in children if child is not title]
            for child in children:
                div.remove(child)
            if classes[1] == INSET:
                div.set("class", "inset-text")
                div.extend(body)
                continue
            if classes[1] == DETAILS:
                div.tag = "details"
                div.attrib.clear()
                summary = etree.SubElement(div, "summary")
                summary.text = title.text if title is not None else "More"
                summary.extend(list(title) if title is not None else [])
                div.extend(body)
                continue
            level = CARD_LEVELS[classes[1]]
            div.set("class", level.css_class)
            heading = etree.SubElement(div, "h3", {"class": "care-card__heading"})
            hidden = etree.SubElement(heading, "span", {"class": VISUALLY_HIDDEN})
            hidden.text = level.prefix
            if title is not None:
                hidden.tail = title.text
                heading.extend(list(title))  # inline markup in the heading, e.g. <strong>
            content = etree.SubElement(div, "div", {"class": "care-card__content"})
            content.extend(body)


class CareCardExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API name
        AdmonitionExtension().extendMarkdown(md)
        # After inline markup (priority 20) and the toc treeprocessor (5): card headings get no id.
        md.treeprocessors.register(_CareCardTreeprocessor(md), "care_cards", 4)
