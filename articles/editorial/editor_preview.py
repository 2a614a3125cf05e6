"""The editor's live preview (django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION, served by
ivmt_site.editor_views): a body rendered through the one renderer, with the references and shared blocks as
they are in the database. A body beyond the input limits is not rendered: the preview says why instead."""

from django.http import HttpResponse
from django.utils.html import format_html, format_html_join

from articles.models import Reference, SharedBlock
from articles.rendering.bodies import render_body
from articles.rendering.input_limits import BodyTooComplex


def preview_html(text: str) -> str:
    try:
        return render_body(text, Reference.known_keys(), blocks=SharedBlock.sources()).html
    except BodyTooComplex as refused:
        return refused_preview(refused)


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
