"""The editor's live preview (django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION, served by
ivmt_site.editor_views): a body rendered through the one renderer, with the references and shared blocks as
they are in the database, under what is wrong with it (by line) and how hard it is to read against the
site's targets. markdownx puts the answer into the preview as it is; nothing here needs a script. A body
beyond the input limits is not rendered: the preview says why instead."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from articles.editorial.body_checks import any_body_problems
from articles.models import Reference, SharedBlock
from articles.rendering.bodies import render_body
from articles.rendering.input_limits import BodyTooComplex
from articles.rendering.readability import (
    CARE_CARD_GRADE_TARGET,
    KEY_POINTS_GRADE_TARGET,
    MAIN_GRADE_TARGET,
    Readability,
    page_readability,
)


@dataclass(frozen=True)
class GradeReading:
    label: str  # what was measured, e.g. "Reading grade"
    grade: float
    target: int  # the highest grade the content standards allow

    @property
    def over_target(self) -> bool:
        return self.grade > self.target


def grade_readings(html: str) -> list[GradeReading]:
    """The grades a save measures and stores (see RenderedBody), each beside its target."""
    reading = page_readability(html)
    measured: list[tuple[str, Readability | None, int]] = [
        ("Reading grade", reading.main, MAIN_GRADE_TARGET),
        ("Key points: grade", reading.key_points, KEY_POINTS_GRADE_TARGET),
        ("Hardest care card: grade", reading.hardest_care_card, CARE_CARD_GRADE_TARGET),
    ]
    return [GradeReading(label, found.grade, target) for label, found, target in measured if found]


def preview_html(text: str) -> str:
    try:
        rendered = render_body(
            text.replace("\r\n", "\n"), Reference.known_keys(), blocks=SharedBlock.sources()
        )
    except BodyTooComplex as refused:
        return refused_preview(refused)
    return render_to_string(
        "admin/editor_preview.html",
        {
            "problems": any_body_problems(text),
            "readings": grade_readings(rendered.html),
            # render_body's output has been through the sanitizer: the one HTML the template does not escape.
            "body_html": rendered.html,
        },
    )


def refused_preview(refused: BodyTooComplex) -> str:
    """What a preview shows instead of a body it will not render: the reasons, one a line."""
    return format_html(
        "<p><strong>This text cannot be previewed or saved:</strong></p><ul>{}</ul>",
        format_html_join("", "<li>{}</li>", ((sentence,) for sentence in refused.sentences())),
    )


def render_problems(text: str) -> list[str]:
    """A body that keeps every rule may still take too long to render (input_limits' time limit): said as
    the admin says a problem. Empty when it renders."""
    try:
        render_body(text, Reference.known_keys(), blocks=SharedBlock.sources())
    except BodyTooComplex as refused:
        return refused.sentences()
    return []


def refused_preview_response(refused: BodyTooComplex) -> HttpResponse:
    """A staff preview page for proposed changes whose body will not render (saved before the limits)."""
    return HttpResponse(refused_preview(refused), status=422)
