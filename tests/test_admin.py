"""Editors' admin: lists show status, order and last change; bodies are checked and rendered on save."""

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import Client

from articles.admin import ProposesChangesAdmin, cited_by, pages_using
from articles.models import (
    Article,
    Disclaimer,
    DisclaimerRevision,
    GlossaryTerm,
    GlossaryTermRevision,
    PageRevision,
    ProposedChange,
    Reference,
    ReferenceRevision,
    SharedBlock,
    SharedBlockRevision,
)
from faq.models import AnswerRevision, Category, Question
from tests.conftest import REVIEWED, TOPIC_BODY, article_admin_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "columns"),
    [
        ("/admin/articles/article/", ["Status", "Order", "Updated"]),
        ("/admin/faq/question/", ["Status", "Order", "Updated"]),
        ("/admin/articles/disclaimer/", ["Updated"]),
        ("/admin/articles/reference/", ["Key", "Year"]),
        ("/admin/faq/category/", ["Order"]),
    ],
)
def test_admin_lists_show_their_columns(
    admin_client: Client, loaded_site: None, url: str, columns: list[str]
) -> None:
    html = admin_client.get(url).content.decode()
    for column in columns:
        assert f">{column}</a>" in html or f">{column}</span>" in html, column


def test_an_admin_edit_is_rendered_sanitized_and_shown(admin_client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    body = TOPIC_BODY.format(body="## New section\n\nNew text.[@ali2009] <script>alert(1)</script>")
    form = article_admin_form(title=article.title, body=body.replace("\n", "\r\n"))
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert '<sup><a class="citation" href="#ref-ali2009">[1]</a></sup>' in article.body_html
    assert "<script" not in article.body_html
    page = Client().get("/side-effects/").content.decode()
    assert "New text." in page
    assert 'id="ref-ali2009"' in page


def test_an_admin_body_citing_an_unknown_reference_is_refused(
    admin_client: Client, loaded_site: None
) -> None:
    question = Question.objects.get(slug="is-ivmt-proven")
    form = {
        "question": question.question,
        "category": question.category_id,
        "status": question.status,
        "order": question.order,
        "answer": "Line one.\r\nLine two.[@made-up-2024]",
    }
    response = admin_client.post(f"/admin/faq/question/{question.pk}/change/", form)
    assert response.status_code == 200
    assert "Line 2: [@made-up-2024] is not a reference" in response.content.decode()
    question.refresh_from_db()
    assert "made-up" not in question.answer


def test_only_one_disclaimer_can_exist(admin_client: Client, loaded_site: None) -> None:
    assert Disclaimer.objects.count() == 1
    assert admin_client.get("/admin/articles/disclaimer/add/").status_code == 403


def test_an_admin_topic_page_without_key_points_is_refused(admin_client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_admin_form(body="Just text.")
    )
    assert response.status_code == 200
    assert "A topic page must start with the heading &#x27;## Key points&#x27;." in response.content.decode()


def test_an_admin_topic_page_without_a_main_message_is_refused(
    admin_client: Client, loaded_site: None
) -> None:
    article = Article.objects.get(slug="side-effects")
    form = article_admin_form(title=article.title, main_message="  ")
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 200
    assert "A topic page needs a main message" in response.content.decode()
    home = Article.objects.get(slug="home")
    form = article_admin_form(title=home.title, slug="home", main_message="", body="Welcome.")
    assert admin_client.post(f"/admin/articles/article/{home.pk}/change/", form).status_code == 302


def test_the_change_log_is_edited_as_dated_lines(admin_client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "2026-11-26: First version of this page." in page
    changes = "2026-12-01: Added a warning.\r\n2026-11-26: First version of this page."
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_admin_form(changes=changes)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.changes[0] == {"date": "2026-12-01", "summary": "Added a warning."}
    bad = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_admin_form(changes="soon: x")
    )
    assert "Line 1: start with a date written YYYY-MM-DD" in bad.content.decode()


def test_readability_is_shown_in_the_admin(admin_client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    listing = admin_client.get("/admin/articles/article/").content.decode()
    assert "Reading grade" in listing
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert str(article.reading_grade) in page


def test_a_glossary_edit_in_the_admin_relinks_pages(admin_client: Client, loaded_site: None) -> None:
    response = admin_client.post(
        "/admin/articles/glossaryterm/add/",
        {
            "term": "emergency room",
            "slug": "emergency-room",
            "definition": "A test.",
            "aliases": "[]",
            **REVIEWED,
        },
    )
    assert response.status_code == 302
    assert 'href="/glossary/#emergency-room"' in Article.objects.get(slug="does-it-work").body_html


@pytest.mark.parametrize(
    ("model", "shown"), [("reference", False), ("sharedblock", False), ("article", True)]
)
def test_view_on_site_is_offered_only_for_records_with_a_page(
    admin_client: Client, loaded_site: None, model: str, shown: bool
) -> None:
    from django.apps import apps

    record = apps.get_model("articles", model).objects.first()
    page = admin_client.get(f"/admin/articles/{model}/{record.pk}/change/").content.decode()
    assert ("View on site" in page) is shown


@pytest.mark.parametrize("line", ["20261126: First version.", "2026-W48-4: First version."])
def test_the_admin_change_log_takes_dates_as_the_files_do(line: str) -> None:
    from django import forms

    from articles.change_log import parse_change_log

    with pytest.raises(forms.ValidationError, match="YYYY-MM-DD"):
        parse_change_log(line)


def test_a_new_faq_answers_slug_is_filled_in_from_its_question(admin_client: Client) -> None:
    html = admin_client.get("/admin/faq/question/add/").content.decode()
    assert "django-admin-prepopulated-fields-constants" in html
    assert "&quot;#id_slug&quot;" in html and "&quot;#id_question&quot;" in html


def test_each_live_kind_has_one_kind_of_proposed_changes_and_its_admin_links_to_them() -> None:
    expected = {
        Article: PageRevision,
        Question: AnswerRevision,
        Disclaimer: DisclaimerRevision,
        GlossaryTerm: GlossaryTermRevision,
        Reference: ReferenceRevision,
        SharedBlock: SharedBlockRevision,
    }
    for live, changes in expected.items():
        assert ProposedChange.model_for(live) is changes
        assert isinstance(admin.site.get_model_admin(live), ProposesChangesAdmin), live
    assert ProposedChange.model_for(Category) is None
    assert not isinstance(admin.site.get_model_admin(Category), ProposesChangesAdmin)


def delete_selected(client: Client, model: str, *records: object, confirmed: bool = True) -> HttpResponse:
    form = {"action": "delete_selected", "_selected_action": [str(r.pk) for r in records]}
    return client.post(f"/admin/articles/{model}/", form | ({"post": "yes"} if confirmed else {}))


def test_delete_selected_deletes_only_references_nobody_cites(
    admin_client: Client, loaded_site: None
) -> None:
    """Django's "Delete selected" asks has_delete_permission(obj) of every selected record: one cited
    reference in the selection, and nothing is deleted."""
    cited = next(reference for reference in Reference.objects.all() if cited_by(reference))
    uncited = Reference.objects.create(
        key="nobody-cites-it", authors="A", title="T", year=2020, url="https://example.org/"
    )
    asked = delete_selected(admin_client, "reference", cited, uncited, confirmed=False)
    assert "permission to delete the following types of objects" in asked.content.decode()
    assert delete_selected(admin_client, "reference", cited, uncited).status_code == 403
    assert Reference.objects.filter(pk__in=[cited.pk, uncited.pk]).count() == 2

    assert delete_selected(admin_client, "reference", uncited).status_code == 302
    assert not Reference.objects.filter(pk=uncited.pk).exists()


def test_delete_selected_deletes_only_shared_blocks_no_page_uses(
    admin_client: Client, loaded_site: None
) -> None:
    used = next(block for block in SharedBlock.objects.all() if pages_using(block))
    unused = SharedBlock.objects.create(slug="nobody-uses-it", title="Unused", body="Nothing yet.")
    assert delete_selected(admin_client, "sharedblock", used, unused).status_code == 403
    assert SharedBlock.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2

    assert delete_selected(admin_client, "sharedblock", unused).status_code == 302
    assert not SharedBlock.objects.filter(pk=unused.pk).exists()
