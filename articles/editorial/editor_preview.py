"""The editor's live preview (django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION, served by
ivmt_site.editor_views): a body rendered through the one renderer, with the references and shared blocks as
they are in the database."""

from articles.models import Reference, SharedBlock
from articles.rendering.bodies import render_body


def preview_html(text: str) -> str:
    return render_body(text, Reference.known_keys(), blocks=SharedBlock.sources()).html
