"""Markdown bodies with citations: the step between a model's Markdown source and its stored HTML."""

from collections.abc import Container
from dataclasses import dataclass

from articles.citations import link_citations
from ivmt_site.rendering import render_markdown


@dataclass(frozen=True)
class RenderedBody:
    html: str
    reference_keys: tuple[str, ...]


def render_body(text: str, known_keys: Container[str], *, anchor_prefix: str = "ref-") -> RenderedBody:
    cited = link_citations(text, known_keys, anchor_prefix=anchor_prefix)
    return RenderedBody(html=render_markdown(cited.markdown), reference_keys=cited.keys)


def render_preview(text: str) -> str:
    """django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION: the editor preview, through the same renderer."""
    from articles.models import Reference  # the models import this module

    return render_body(text, Reference.known_keys()).html
