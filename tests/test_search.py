"""Site search: the search() interface on this database's backend, and the /search/ page."""

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import serializers
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from articles.models import Article, GlossaryTerm, Status
from articles.search import SearchResult, fts5_query, search
from articles.search_text import (
    MARK_END,
    MARK_START,
    answer_search_text,
    glossary_search_text,
    page_search_text,
)
from faq.models import Question
from tests.conftest import REVIEWED, TOPIC_BODY, article_admin_form, content_title

SIDE_EFFECTS = content_title("side-effects")

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "",
    " ",
    "x" * 10_000,
    '"',
    '"unclosed phrase',
    "'; DROP TABLE articles_article; --",
    "1 OR 1=1",
    "SELECT * FROM auth_user",
    "*",
    "ribo*",
    "title:riboflavin",
    "^riboflavin",
    "NEAR(riboflavin migraine, 2)",
    "riboflavin AND OR NOT",
    "AND",
    "OR",
    "NOT",
    "-",
    "-riboflavin",
    "riboflavin -migraine",
    "( ) { } [ ] + - ~ ! & | : \\",
    "<script>alert(1)</script>",
    "émigré naïve Ünïcödé 偏头痛",
    "😀🤕💉",
    "ri\x00boflavin",
    "\x00",
    "%s %(q)s ? ?1 :name",
    "the and of",
    "\ue000riboflavin\ue001",
]


def urls(results: list[SearchResult]) -> list[str]:
    return [result.url for result in results]


def test_finds_a_page_by_a_word_in_its_body(loaded_site: None) -> None:
    results = search("thunderclap")
    assert "/side-effects/" in urls(results)
    page = next(r for r in results if r.url == "/side-effects/")
    assert page.kind == "page"
    assert page.title == SIDE_EFFECTS
    assert "<mark>thunderclap</mark>" in page.snippet_html.lower()


def test_finds_a_page_by_a_word_only_in_its_body(loaded_site: None) -> None:
    results = search("riboflavin")
    page = next(r for r in results if r.url == "/does-it-work/")
    assert "riboflavin" not in page.title.lower()
    assert "<mark>riboflavin</mark>" in page.snippet_html.lower()


def test_finds_a_faq_answer(loaded_site: None) -> None:
    results = search("eyesight")
    faq = next(r for r in results if r.url == "/faq/#riboflavin-light-sensitivity")
    assert faq.kind == "faq"
    assert faq.title == "Will the riboflavin make me more sensitive to light?"
    assert "<mark>eyesight</mark>" in faq.snippet_html


def test_finds_a_glossary_term_and_its_definition(loaded_site: None) -> None:
    term = next(r for r in search("anaphylaxis") if r.kind == "glossary")
    assert term.url == "/glossary/#anaphylaxis"
    assert term.title == "anaphylaxis"
    # A word only in a definition finds the term too.
    assert "/glossary/#cardiac-glycosides" in urls(search("digoxin"))


def test_word_forms_match(loaded_site: None) -> None:
    # Both backends stem English words: a reader's "migraines" finds pages that say "migraine".
    assert len(search("migraines")) >= 5


def test_one_search_returns_every_kind_best_first(loaded_site: None) -> None:
    results = search("riboflavin")
    assert {r.kind for r in results} == {"page", "faq", "glossary"}, connection.vendor
    ranks = [r.rank for r in results]
    assert ranks == sorted(ranks, reverse=True)
    assert all(r.rank > 0 for r in results)
    assert all(r.url.startswith("/") for r in results)
    assert len(search("riboflavin", limit=2)) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        results[0].title = "changed"  # type: ignore[misc]


def test_snippets_mark_matches_and_escape_the_text(loaded_site: None) -> None:
    GlossaryTerm.objects.create(
        slug="zebrafish",
        term="zebrafish",
        definition='Zebrafish dose < 5 mg & "more" > 2. <script>alert(1)</script> \ue000 zebrafish again.',
        **REVIEWED,
    )
    (result,) = search("zebrafish")
    html = result.snippet_html
    assert "<mark>Zebrafish</mark>" in html
    assert "<mark>zebrafish</mark>" in html
    assert "&lt; 5 mg &amp; &quot;more&quot; &gt; 2" in html
    # SQLite shows a tag-like text escaped; PostgreSQL's parser leaves it out. Neither lets it through.
    assert "<script" not in html
    # The only markup in a snippet is <mark> … </mark>, balanced.
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    assert html.count("<mark>") == html.count("</mark>")


def test_snippets_use_the_text_not_the_html(loaded_site: None) -> None:
    for result in search("magnesium"):
        assert "href" not in result.snippet_html
        assert "glossary-term" not in result.snippet_html
        assert "&lt;" not in result.snippet_html  # no tags of the stored HTML, escaped or not


def test_drafts_are_not_found(loaded_site: None) -> None:
    assert "/side-effects/" in urls(search("thunderclap"))
    assert "/faq/#riboflavin-light-sensitivity" in urls(search("eyesight"))
    Article.objects.filter(slug="side-effects").update(status=Status.DRAFT)
    Question.objects.filter(slug="riboflavin-light-sensitivity").update(status=Status.IN_REVIEW)
    assert "/side-effects/" not in urls(search("thunderclap"))
    assert "/faq/#riboflavin-light-sensitivity" not in urls(search("eyesight"))


def test_the_query_is_capped_at_200_characters(loaded_site: None) -> None:
    assert search(" " * 190 + "riboflavin")
    assert search(" " * 200 + "riboflavin") == []


def test_words_or_alternatives_and_exclusions(loaded_site: None) -> None:
    either = set(urls(search("anaphylaxis or digoxin")))
    assert {"/glossary/#anaphylaxis", "/glossary/#cardiac-glycosides"} <= either
    assert "/glossary/#riboflavin" not in urls(search("riboflavin -vitamin"))
    both = urls(search("riboflavin eyesight"))
    assert "/faq/#riboflavin-light-sensitivity" in both
    assert "/glossary/#riboflavin" not in both


def test_odd_queries_never_raise_and_get_a_normal_page(client: Client, loaded_site: None) -> None:
    # One test, not one per query: each test reloads the site's content, which is what takes the time.
    for query in ODD_QUERIES:
        assert isinstance(search(query), list), repr(query)
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, repr(query)
        html = response.content.decode()
        assert 'id="disclaimer"' in html, repr(query)
        assert "<script>alert" not in html, repr(query)


def test_the_results_page(client: Client, loaded_site: None) -> None:
    html = client.get("/search/?q=riboflavin").content.decode()
    assert "<h1>Search</h1>" in html
    assert 'id="disclaimer"' in html
    assert 'value="riboflavin"' in html
    assert 'role="search"' in html
    count = len(search("riboflavin"))
    assert f"{count} results for “riboflavin”" in html
    assert f'<a href="/does-it-work/">{escape(content_title("does-it-work"))}</a>' in html
    assert "(Question and answer)" in html
    assert "(Glossary word)" in html
    assert "<mark>riboflavin</mark>" in html.lower()


def test_no_results_suggest_other_words_and_the_faq_and_glossary(client: Client, loaded_site: None) -> None:
    html = client.get("/search/?q=xylophone").content.decode()
    assert "No results for “xylophone”" in html
    assert "Try other words" in html
    assert 'href="/faq/"' in html
    assert 'href="/glossary/"' in html


def test_the_query_is_shown_escaped(client: Client, loaded_site: None) -> None:
    html = client.get("/search/", {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_an_empty_search_shows_the_form(client: Client, loaded_site: None) -> None:
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html
    assert "No results" not in html


def test_the_search_box() -> None:
    html = render_to_string("includes/search_box.html")
    assert '<form class="search-box" role="search" action="/search/" method="get">' in html
    assert '<label for="site-search">Search this site</label>' in html
    assert 'type="search" name="q" id="site-search" maxlength="200"' in html
    assert '<button type="submit">' in html


def test_fts5_queries_are_quoted_words() -> None:
    assert fts5_query("Riboflavin migraines") == '("riboflavin" "migraines")'
    assert fts5_query("NEAR(a b) AND col:x* ^y") == '("near" "b" "col" "x" "y")'
    assert fts5_query('x OR "y" -z') == '("x") OR ("y" NOT "z")'
    assert fts5_query("a -b") == ""
    assert fts5_query("is it safe") == '("safe")'
    assert fts5_query("😀 \x00 ;--") == ""


# --- The stored search text stays in step with every way a record is written ---


def stored_text_is_current() -> bool:
    """Every record's search_text is what its stored HTML and fields give now."""
    return (
        all(
            a.search_text == page_search_text(a.summary, a.body_html) and a.search_text
            for a in Article.objects.all()
        )
        and all(q.search_text == answer_search_text(q.answer_html) for q in Question.objects.all())
        and all(
            t.search_text == glossary_search_text(t.definition, t.aliases) for t in GlossaryTerm.objects.all()
        )
    )


def test_loadcontent_stores_the_search_text(site_content: Path, load: Callable[..., str], db: None) -> None:
    page = site_content / "articles" / "side-effects.md"
    page.write_text(page.read_text() + "\nA quokkalike word.\n")
    load(site_content)
    assert stored_text_is_current()
    assert urls(search("quokkalike")) == ["/side-effects/"]

    page.write_text(page.read_text().replace("quokkalike", "wombatish"))
    load(site_content)
    assert urls(search("wombatish")) == ["/side-effects/"]
    assert search("quokkalike") == []
    assert stored_text_is_current()


def test_admin_edits_update_the_search_text(admin_client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    form = article_admin_form(
        title=article.title,
        summary="A summary about quokkas.",
        body=TOPIC_BODY.format(body="A wombatish paragraph."),
    )
    assert admin_client.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    assert urls(search("quokkas")) == ["/side-effects/"]
    assert urls(search("wombatish")) == ["/side-effects/"]
    assert "/side-effects/" not in urls(search("thunderclap"))

    question = Question.objects.get(slug="is-ivmt-proven")
    form = {
        "question": question.question,
        "category": question.category_id,
        "status": question.status,
        "order": question.order,
        "answer": "Not yet: only a numbatish answer.",
        **REVIEWED,
    }
    assert admin_client.post(f"/admin/faq/question/{question.pk}/change/", form).status_code == 302
    assert urls(search("numbatish")) == ["/faq/#is-ivmt-proven"]

    term = GlossaryTerm.objects.get(slug="anaphylaxis")
    form = {
        "term": term.term,
        "slug": term.slug,
        "definition": "A bilbyish reaction.",
        "aliases": '["potoroo"]',
        **REVIEWED,
    }
    assert admin_client.post(f"/admin/articles/glossaryterm/{term.pk}/change/", form).status_code == 302
    assert urls(search("bilbyish")) == ["/glossary/#anaphylaxis"]
    assert urls(search("potoroo")) == ["/glossary/#anaphylaxis"]
    assert stored_text_is_current()


def test_bulk_writes_fill_the_search_text_through_render_stored_fields(loaded_site: None) -> None:
    # bulk_create and bulk_update skip save(): a bulk loader calls render_stored_fields() on each object.
    template = Article.objects.get(slug="side-effects")
    new_pages = []
    for number in range(3):
        page = Article(
            slug=f"bulk-{number}",
            title=f"Bulk page {number}",
            summary="A page written in bulk.",
            body=TOPIC_BODY.format(body=f"Its word is bulkword{number}."),
            status=Status.PUBLISHED,
            last_reviewed=template.last_reviewed,
            next_review_due=template.next_review_due,
        )
        page.render_stored_fields()
        new_pages.append(page)
    Article.objects.bulk_create(new_pages)
    assert urls(search("bulkword1")) == ["/bulk-1/"]

    pages = list(Article.objects.filter(slug__startswith="bulk-"))
    for page in pages:
        page.body = page.body.replace("bulkword", "rebulked")
        page.render_stored_fields()
    Article.objects.bulk_update(pages, ["body", "body_html", "search_text"])
    assert urls(search("rebulked2")) == ["/bulk-2/"]
    assert search("bulkword2") == []

    question = Question.objects.get(slug="is-ivmt-proven")
    question.answer = "A bulkanswer."
    question.render_stored_fields()
    Question.objects.bulk_update([question], ["answer", "answer_html", "search_text"])
    term = GlossaryTerm(slug="bulkterm", term="bulkterm", definition="A bulk definition.", **REVIEWED)
    term.render_stored_fields()
    GlossaryTerm.objects.bulk_create([term])
    assert urls(search("bulkanswer")) == ["/faq/#is-ivmt-proven"]
    assert urls(search("bulkterm")) == ["/glossary/#bulkterm"]
    assert stored_text_is_current()


def test_queries_per_search_do_not_grow_with_the_content(
    loaded_site: None, django_assert_num_queries: Callable[..., Any]
) -> None:
    expected = 1 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(expected):
        search("magnesium")
    template = Article.objects.get(slug="side-effects")
    for number in range(20):
        template.pk = None
        template.slug = f"copy-{number}"
        template.save()
    with django_assert_num_queries(expected):
        assert len(search("magnesium", limit=100)) > 20


SITE_TABLES = [Article._meta.db_table, Question._meta.db_table, GlossaryTerm._meta.db_table]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index")
def test_postgresql_finds_matches_through_the_gin_indexes(loaded_site: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        search("riboflavin")
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        # The tables here are small enough that a sequential scan is cheaper; forbid it to see the index used.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        # Ranking reads the vector of every match: it is kept in the row, not fetched from the TOAST table.
        cursor.execute(
            "SELECT c.relname, a.attstorage FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE a.attname = 'search_vector' AND c.relkind = 'r' AND c.relname = ANY(%s)",
            [SITE_TABLES],  # not the test-only kind in tests.kind_app, which has no migrations
        )
        storage = dict(cursor.fetchall())
    assert storage == {"articles_article": "m", "faq_question": "m", "articles_glossaryterm": "m"}
    for index in (
        "articles_article_search_vector",
        "faq_question_search_vector",
        "articles_glossaryterm_search_vector",
    ):
        assert index in plan, plan


def test_results_of_equal_rank_come_in_listing_order(loaded_site: None) -> None:
    # The same text gives the same rank. Each kind's records are made in the reverse of their listing order.
    for term in ("zzbeta", "zzalpha"):
        GlossaryTerm.objects.create(slug=term, term=term, definition="A wallabyish word.", **REVIEWED)
    # An answer of the same text and title length as the terms: it ranks with them, and comes first.
    Question.objects.create(
        slug="zzgamma",
        question="Zzgamma?",
        category=Question.objects.first().category,
        answer="A wallabyish word.",
        status=Status.PUBLISHED,
        **REVIEWED,
    )
    template = Article.objects.get(slug="side-effects")
    for slug, title, order in [
        ("wallaby-a", "Wallaby three", 3),
        ("wallaby-c", "Wallaby two", 1),
        ("wallaby-b", "Wallaby one", 1),
    ]:
        Article.objects.create(
            slug=slug,
            title=title,
            summary="A page about one word.",
            body=TOPIC_BODY.format(body="A wallabyish word."),
            order=order,
            status=Status.PUBLISHED,
            last_reviewed=template.last_reviewed,
            next_review_due=template.next_review_due,
        )
    results = search("wallabyish")
    pages = [r for r in results if r.kind == "page"]
    answer_and_terms = [r for r in results if r.kind != "page"]
    assert len({r.rank for r in pages}) == 1 and len({r.rank for r in answer_and_terms}) == 1
    # Pages by order, then title; FAQ answers before glossary terms, and terms by term.
    assert urls(pages) == ["/wallaby-b/", "/wallaby-c/", "/wallaby-a/"]
    assert urls(answer_and_terms) == ["/faq/#zzgamma", "/glossary/#zzalpha", "/glossary/#zzbeta"]
    # A shorter list keeps the first of them.
    assert urls(search("wallabyish", limit=4)) == urls(results)[:4]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Django's PostgreSQL full-text search")
def test_a_model_search_finds_ranks_and_quotes_its_rows(loaded_site: None) -> None:
    pages = list(Article.objects.published().search("riboflavin")[:5])
    assert "does-it-work" in [page.slug for page in pages]
    ranks = [page.rank for page in pages]
    assert ranks == sorted(ranks, reverse=True) and ranks[-1] > 0
    assert all(f"{MARK_START}riboflavin{MARK_END}" in page.headline.lower() for page in pages)
    assert not Article.objects.published().search("xylophone").exists()


def test_the_stored_vector_is_left_out_of_serialized_records(loaded_site: None) -> None:
    # History (django-reversion) and dumpdata keep what an editor wrote; the database derives the vector.
    (record,) = serializers.serialize("python", Article.objects.filter(slug="side-effects"))
    assert "search_text" in record["fields"]
    assert "search_vector" not in record["fields"]
