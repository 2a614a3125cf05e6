"""Citations resolve to each page's numbered reference list; topic pages keep their trusted shape."""

import re

import pytest
from django.test import Client

from articles.models import Article, DecisionOption, Reference
from articles.rendering.citations import link_citations
from faq.models import Question

pytestmark = pytest.mark.django_db


def test_every_citation_on_every_page_resolves_to_its_reference_list(
    client: Client, loaded_site: None
) -> None:
    pages = [a.get_absolute_url() for a in Article.objects.published()] + ["/faq/"]
    for path in pages:
        html = client.get(path).content.decode()
        cited = re.findall(r'class="citation" href="#(ref-[^"]+)"', html)
        listed = set(re.findall(r'<li id="(ref-[^"]+)"', html))
        assert set(cited) <= listed, f"{path}: citations without a reference: {set(cited) - listed}"


def test_citation_numbers_follow_the_reference_list_order(client: Client, loaded_site: None) -> None:
    html = client.get("/does-it-work/").content.decode()
    numbered = dict(re.findall(r'href="#(ref-[^"]+)">\[(\d+)\]', html))
    listed = re.findall(r'<li id="(ref-[^"]+)"', html[html.index('id="references"') :])
    assert [numbered[anchor] for anchor in listed] == [str(n) for n in range(1, len(listed) + 1)]


def test_every_topic_page_has_references_review_dates_and_key_points(
    client: Client, loaded_site: None
) -> None:
    topics = Article.objects.published().topics()
    assert topics.count() >= 8
    for article in topics:
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'id="references"' in html, article.slug
        assert "Page last reviewed:" in html and "Next review due:" in html, article.slug
        assert article.body_html.startswith('<h2 id="key-points">Key points</h2>'), article.slug
        assert 'id="key-points"' in html, article.slug
        assert "What we know and what we don" in html, article.slug
        assert "What changed" in html, article.slug


def test_every_reference_has_what_a_reader_needs_to_find_it(loaded_site: None) -> None:
    for reference in Reference.objects.all():
        assert reference.authors and reference.title and reference.publisher, reference.key
        if reference.url:
            assert reference.url.startswith(
                ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/", "https://")
            )


def test_every_reference_is_cited_somewhere(loaded_site: None) -> None:
    cited = {key for a in Article.objects.all() for key in a.reference_keys}
    cited |= {key for q in Question.objects.all() for key in q.reference_keys}
    cited |= {key for option in DecisionOption.objects.all() for key in option.cited_keys()}
    assert set(Reference.objects.values_list("key", flat=True)) - cited == set()


def test_the_ali_trial_is_never_cited_to_the_wrong_journal(loaded_site: None) -> None:
    ali = Reference.objects.get(key="ali2009")
    assert ali.publisher == "Journal of Alternative and Complementary Medicine"
    assert ali.year == 2009


def test_link_citations_numbers_repeat_citations_once() -> None:
    cited = link_citations("A.[@b] B.[@a] C.[@b] D.[@zzz]", {"a", "b"})
    assert cited.keys == ("b", "a")
    assert cited.markdown.count('href="#ref-b">[1]') == 2
    assert [miss.key for miss in cited.unknown] == ["zzz"]
