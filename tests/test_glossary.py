"""The glossary: a page listing every term, and each term's first use on a page linked to it."""

from pathlib import Path

import pytest
from django.test import Client

from articles.models import Article, GlossaryTerm
from articles.rendering.glossary_links import TermMatcher, link_glossary_terms
from tests.conftest import GLOSSARY_REVIEW_DATES

pytestmark = pytest.mark.django_db

MATCHERS = [
    TermMatcher("/glossary/#hypotension", ("hypotension", "low blood pressure")),
    TermMatcher("/glossary/#thunderclap-headache", ("thunderclap headache",)),
    TermMatcher("/glossary/#aura", ("aura",)),
]


def test_only_the_first_use_is_marked() -> None:
    html = link_glossary_terms("<p>Hypotension here. Hypotension again.</p>", MATCHERS)
    assert html == (
        '<p><a class="glossary-term" href="/glossary/#hypotension">Hypotension</a> here.'
        " Hypotension again.</p>"
    )


def test_aliases_count_as_the_term_and_longer_phrases_win() -> None:
    html = link_glossary_terms(
        "<p>Low blood pressure, then hypotension. A thunderclap headache.</p>", MATCHERS
    )
    assert html.count("glossary-term") == 2
    assert '#hypotension">Low blood pressure</a>' in html
    assert '#thunderclap-headache">thunderclap headache</a>' in html


def test_links_headings_citations_and_code_are_left_alone() -> None:
    html = link_glossary_terms(
        '<h2>Aura</h2><p><a href="/x">aura</a> <sup><a href="#r">aura</a></sup> <code>aura</code> auras</p>'
        "<p>An aura.</p>",
        MATCHERS,
    )
    assert html.count("glossary-term") == 1
    assert html.endswith('<p>An <a class="glossary-term" href="/glossary/#aura">aura</a>.</p>')


def test_the_glossary_page_lists_every_term(client: Client, loaded_site: None) -> None:
    terms = list(GlossaryTerm.objects.all())
    assert len(terms) >= 15
    html = client.get("/glossary/").content.decode()
    assert 'id="disclaimer"' in html
    for term in terms:
        assert f'<dt id="{term.slug}"><dfn>{term.term}</dfn></dt>' in html


def test_pages_link_first_uses_to_the_glossary(client: Client, loaded_site: None) -> None:
    linked = 0
    for article in Article.objects.published():
        for slug in {href.split('"')[0] for href in article.body_html.split('href="/glossary/#')[1:]}:
            assert GlossaryTerm.objects.filter(slug=slug).exists()
            assert article.body_html.count(f'href="/glossary/#{slug}"') == 1
            linked += 1
    assert linked >= 10


def test_a_glossary_change_relinks_the_pages(minimal_content: Path, load, client: Client) -> None:
    load(minimal_content)
    assert "glossary-term" not in Article.objects.get(slug="about").body_html
    (minimal_content / "site" / "glossary.yaml").write_text(
        f"- term: placebo\n  definition: A dummy treatment.\n{GLOSSARY_REVIEW_DATES}"
        f"- term: who we are\n  definition: Us.\n{GLOSSARY_REVIEW_DATES}"
    )
    load(minimal_content)
    assert 'href="/glossary/#who-we-are"' in Article.objects.get(slug="about").body_html
