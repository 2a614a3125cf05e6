"""Editors' admin: lists show status, order and last change; bodies are checked and rendered on save."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.models import Article, Disclaimer
from faq.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "a-long-test-password"))
    return client


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
    editor: Client, loaded_site: None, url: str, columns: list[str]
) -> None:
    html = editor.get(url).content.decode()
    for column in columns:
        assert f">{column}</a>" in html or f">{column}</span>" in html, column


def test_an_admin_edit_is_rendered_sanitized_and_shown(editor: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    form = {
        "title": article.title,
        "summary": article.summary,
        "status": article.status,
        "order": article.order,
        "last_reviewed": article.last_reviewed.isoformat(),
        "next_review_due": article.next_review_due.isoformat(),
        "body": "## New section\r\n\r\nNew text.[@ali2009] <script>alert(1)</script>",
    }
    response = editor.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert '<sup><a class="citation" href="#ref-ali2009">[1]</a></sup>' in article.body_html
    assert "<script" not in article.body_html
    page = Client().get("/side-effects/").content.decode()
    assert "New text." in page
    assert 'id="ref-ali2009"' in page


def test_an_admin_body_citing_an_unknown_reference_is_refused(editor: Client, loaded_site: None) -> None:
    question = Question.objects.get(slug="is-ivmt-proven")
    form = {
        "question": question.question,
        "category": question.category_id,
        "status": question.status,
        "order": question.order,
        "answer": "Line one.\r\nLine two.[@made-up-2024]",
    }
    response = editor.post(f"/admin/faq/question/{question.pk}/change/", form)
    assert response.status_code == 200
    assert "Line 2: [@made-up-2024] is not a reference" in response.content.decode()
    question.refresh_from_db()
    assert "made-up" not in question.answer


def test_only_one_disclaimer_can_exist(editor: Client, loaded_site: None) -> None:
    assert Disclaimer.objects.count() == 1
    assert editor.get("/admin/articles/disclaimer/add/").status_code == 403
