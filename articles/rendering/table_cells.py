"""Cells of the decision aid's table: one short paragraph each, rendered on write, citations kept as written.

A cell's citations are numbered only when the page that shows it is built (articles.rendering.citations), so
that the table joins the numbered reference list of the page it sits on, and the printable summary, which
shows some cells only, numbers its own. The stored HTML therefore keeps each `[@key]` as written: Markdown and
the sanitizer leave that text alone, and numbering it later is a text substitution, not a rendering.
"""

import re

from django.utils.html import strip_tags

from articles.rendering.citations import CITATION
from articles.rendering.renderer import render_markdown

# A figure is a number outside a citation: "59 in 100", "$100", "3 months", "2012"; not the digit of a name
# such as "vitamin B2" or "Q10".
_FIGURE = re.compile(r"(?<![A-Za-z\d])\d")
_PERCENTAGE = re.compile(r"\d\s*%|\bper ?cent\b", re.IGNORECASE)
_ONE_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p>).)*)</p>$", re.S)


def render_cell(text: str) -> str:
    """A cell's Markdown as inline HTML (without the paragraph around it), sanitized, citations as written."""
    html = render_markdown(text.strip())
    match = _ONE_PARAGRAPH.match(html.strip())
    return match.group(1) if match else html


def cell_problems(text: str) -> list[str]:
    """What makes `text` unfit for a table cell: the rules the loader and the admin both apply."""
    problems = []
    html = render_markdown(text.strip())
    if "\n" in text.strip() or not _ONE_PARAGRAPH.match(html.strip()):
        problems.append("must be one short paragraph on one line (no line breaks, lists or headings)")
    elif len(CITATION.findall(strip_tags(html))) != len(CITATION.findall(html)):
        # Numbered when the page is built, a citation inside a link or code would break its markup.
        problems.append("a citation [@key] must be in the text, not inside a link or code")
    uncited = CITATION.sub("", text)
    if _PERCENTAGE.search(uncited):
        problems.append('gives a percentage: write figures in one form, "X in 100"')
    if _FIGURE.search(uncited) and not CITATION.search(text):
        figure = _FIGURE.search(uncited)
        assert figure is not None
        start = max(0, figure.start() - 20)
        problems.append(
            f"gives a figure ({uncited[start : figure.end() + 20].strip()!r}) without a source: "
            "cite one with [@key] in the same cell"
        )
    return problems
