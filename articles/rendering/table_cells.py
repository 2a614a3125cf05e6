"""Cells of the decision aid's table: one short paragraph each, rendered on write, citations kept as written.

A cell's citations are numbered only when the page that shows it is built (articles.rendering.citations), so
that the table joins the numbered reference list of the page it sits on, and the printable summary, which
shows some cells only, numbers its own. The stored HTML therefore keeps each `[@key]` as written: Markdown and
the sanitizer leave that text alone, and numbering it later is a text substitution, not a rendering.
"""

import re

from articles.rendering.citations import CITATION
from articles.rendering.renderer import render_markdown

# A figure is any digit outside a citation: "59 in 100", "$100", "3 months", "2012".
_DIGIT = re.compile(r"\d")
_ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)


def render_cell(text: str) -> str:
    """A cell's Markdown as inline HTML (without the paragraph around it), sanitized, citations as written."""
    html = render_markdown(text.strip())
    match = _ONE_PARAGRAPH.match(html.strip())
    return match.group(1) if match else html


def cell_problems(text: str) -> list[str]:
    """What makes `text` unfit for a table cell: the rules the loader and the admin both apply."""
    problems = []
    if "\n" in text.strip():
        problems.append("must be one short paragraph on one line (no line breaks)")
    uncited = CITATION.sub("", text)
    if "%" in uncited:
        problems.append('gives a percentage: write figures in one form, "X in 100"')
    if _DIGIT.search(uncited) and not CITATION.search(text):
        figure = _DIGIT.search(uncited)
        assert figure is not None
        start = max(0, figure.start() - 20)
        problems.append(
            f"gives a figure ({uncited[start : figure.end() + 20].strip()!r}) without a source: "
            "cite one with [@key] in the same cell"
        )
    return problems
