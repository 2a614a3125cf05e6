"""Pages rendered again after a glossary term or shared block changed never write back a text that an editor
saved while they were rendering (rendering every page takes seconds, inside the reviewer's request)."""

import pytest

from articles import rerendering
from articles.models import Article, GlossaryTerm
from articles.rerendering import rerender_after_changing

pytestmark = pytest.mark.django_db


def test_a_page_saved_while_pages_render_again_keeps_its_new_text(loaded_site: None, monkeypatch) -> None:
    page = Article.objects.get(slug="side-effects")
    sentence = "A sentence an editor saved while the pages were rendering."
    render = rerendering.render_stored_bodies

    def render_while_an_editor_saves(*args, **kwargs):
        renderings = render(*args, **kwargs)
        edited = Article.objects.get(pk=page.pk)
        edited.body = f"{edited.body}\n\n{sentence}\n"
        edited.save()
        return renderings

    monkeypatch.setattr(rerendering, "render_stored_bodies", render_while_an_editor_saves)
    term = GlossaryTerm.objects.get(slug="placebo")
    assert rerender_after_changing(GlossaryTerm, {term.slug}) > 1

    saved = Article.objects.get(pk=page.pk)
    assert sentence in saved.body
    assert sentence in saved.body_html  # rendered from the text saved now, not the one read before


def test_rendering_again_does_not_count_as_an_edit(loaded_site: None) -> None:
    page = Article.objects.get(slug="side-effects")
    Article.objects.filter(pk=page.pk).update(body_html="stale")
    rerender_after_changing(GlossaryTerm, {"placebo"})
    again = Article.objects.get(pk=page.pk)
    assert again.body_html != "stale" and again.updated == page.updated
