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

# A line meant to open a card: `!!!` at its start, or after a few spaces (Markdown would show that as text).
_OPENING = re.compile(r"^(?P<indent> {0,3})!!!")
_CARD_LINE = re.compile(r"^!!! ?(?P<kind>[^\s\"“”‘’']*) *(?P<rest>.*?) *$")
_QUOTED_HEADING = re.compile(r'^"(?P<heading>.*)"$')
_QUOTES = "\"'“”‘’"
BODY_INDENT = " " * 4


def card_problems(text: str) -> list[tuple[int, str]]:
    """(line, problem) for each card written in a way Python-Markdown would not read as the author meant: an
    opening line it does not understand (unknown kind, heading not in straight double quotes), or a card whose
    text is missing or not indented by 4 spaces (it would show outside the card, or not at all)."""
    lines = text.splitlines()
    problems = []
    for index, line in enumerate(lines):
        opening = _OPENING.match(line)
        if not opening:
            continue
        number = index + 1
        if opening["indent"]:
            problems.append(
                (number, "a care card line must start at the beginning of the line, not after spaces")
            )
            continue
        problem = opening_line_problem(line)
        if problem:
            problems.append((number, problem))
        problems += card_body_problems(lines, index)
    return problems


def opening_line_problem(line: str) -> str | None:
    match = _CARD_LINE.match(line)
    assert match is not None  # any line starting "!!!" matches
    kind, rest = match["kind"], match["rest"]
    if not kind:
        return f'a care card line starts with its kind: !!! urgent "{rest.strip(_QUOTES)}"'
    if kind not in BLOCK_KINDS:
        known = ", ".join(BLOCK_KINDS)
        return f"care card level {kind!r} is not one of {known}"
    quoted = _QUOTED_HEADING.match(rest)
    # The heading as meant: without the quotes around it, or straight ones inside (which would cut it short).
    heading = quoted["heading"] if quoted else rest.strip(_QUOTES + " ").replace('"', "")
    if kind == INSET:
        return f"inset text has no heading: write !!! {INSET} alone on its line" if rest else None
    if not heading:
        example = f'!!! {kind} "Get help today if you:"'
        return f"care card needs a heading in quotes: {example}"
    if not quoted:
        return f'the care card heading must be in straight double quotes: !!! {kind} "{heading}"'
    return None


def card_body_problems(lines: list[str], opening: int) -> list[tuple[int, str]]:
    """The card opened on `lines[opening]`: its text, the indented lines after it, must be there and be
    indented by 4 spaces (Python-Markdown reads a tab as 4 spaces, but the files and the form must agree)."""
    body = opening + 1
    while body < len(lines) and not lines[body].strip():
        body += 1
    if body == len(lines) or not lines[body][:1].isspace():
        directly_after = body == opening + 1 and body < len(lines) and not _OPENING.match(lines[body])
        if directly_after:
            text = lines[body].strip()
            return [(body + 1, f"indent the care card's text by 4 spaces: write 4 spaces before {text!r}")]
        return [
            (opening + 1, "the care card is empty: write its text on the next lines, indented by 4 spaces")
        ]
    problems = []
    previous_blank = False
    for index in range(body, len(lines)):
        line = lines[index]
        if not line.strip():
            previous_blank = True
            continue
        indent = line[: len(line) - len(line.lstrip())]
        if indent.startswith(BODY_INDENT) and "\t" not in indent:
            pass  # the card's text
        elif "\t" in indent:
            problems.append((index + 1, "indent the care card's text with 4 spaces, not a tab"))
        elif indent:
            problems.append(
                (
                    index + 1,
                    f"indent the care card's text by 4 spaces, not {len(indent)}; text after the card "
                    "starts at the beginning of the line",
                )
            )
        elif previous_blank:
            break  # the card ends: text at the start of a line after a blank line
        else:
            problems.append(
                (
                    index + 1,
                    "this line follows the care card's text with no blank line between: indent it by 4 "
                    "spaces to keep it in the card, or leave a blank line before it",
                )
            )
            break
        previous_blank = False
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
