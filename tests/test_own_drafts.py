"""Editors delete their own drafts: pages and FAQ answers they added and never submitted, and changes they
proposed and have not submitted. Nothing else, by the delete button or by "Delete selected"."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from articles.editorial.roles import EDITOR
from articles.models import Article, PageRevision, Status
from faq.models import AnswerRevision, Question
from tests.conftest import article_admin_form

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"
QUESTIONS = "/admin/faq/question/"


def another_editor() -> Client:
    user = User.objects.create_user("second-editor", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client = Client()
    client.force_login(user)
    return client


def add_draft(client: Client, slug: str) -> Article:
    form = article_admin_form(slug=slug, title=f"Draft {slug}", status="draft")
    assert client.post(f"{ARTICLES}add/", form).status_code == 302
    return Article.objects.get(slug=slug)


def delete(client: Client, record: Article | Question) -> int:
    admin = ARTICLES if isinstance(record, Article) else QUESTIONS
    return client.post(f"{admin}{record.pk}/delete/", {"post": "yes"}).status_code


def test_an_editor_deletes_their_own_draft(editor: Client, loaded_site: None) -> None:
    page = add_draft(editor, "my-draft")
    assert page.created_by == User.objects.get(username="editor")
    assert f"{ARTICLES}{page.pk}/delete/" in editor.get(f"{ARTICLES}{page.pk}/change/").content.decode()
    assert delete(editor, page) == 302
    assert not Article.objects.filter(slug="my-draft").exists()


def test_an_editor_cannot_delete_another_editors_draft(editor: Client, loaded_site: None) -> None:
    page = add_draft(another_editor(), "their-draft")
    assert f"{ARTICLES}{page.pk}/delete/" not in editor.get(f"{ARTICLES}{page.pk}/change/").content.decode()
    assert delete(editor, page) == 403
    assert Article.objects.filter(pk=page.pk).exists()


def test_an_editor_cannot_delete_a_draft_once_submitted(
    editor: Client, reviewer: Client, loaded_site: None
) -> None:
    page = add_draft(editor, "submitted-draft")
    editor.post(ARTICLES, {"action": "submit_for_review", "_selected_action": [page.pk]})
    assert delete(editor, Article.objects.get(pk=page.pk)) == 403
    # Sent back to draft, it was still read by a reviewer: it stays.
    sent_back = article_admin_form(
        title=page.title, status="in_review", _send_back="1", review_comment="Please cite the study."
    )
    reviewer.post(f"{ARTICLES}{page.pk}/change/", sent_back)
    page.refresh_from_db()
    assert page.status == Status.DRAFT
    assert delete(editor, page) == 403
    assert Article.objects.filter(pk=page.pk).exists()


def test_records_loaded_from_files_and_published_ones_stay(
    editor: Client, reviewer: Client, loaded_site: None
) -> None:
    loaded = Article.objects.get(slug="side-effects")
    Article.objects.filter(pk=loaded.pk).update(status=Status.DRAFT)
    assert loaded.created_by is None
    assert delete(editor, loaded) == 403
    assert delete(reviewer, loaded) == 403
    published = Article.objects.get(slug="does-it-work")
    assert delete(editor, published) == 403
    assert delete(reviewer, published) == 403
    assert Article.objects.filter(pk__in=[loaded.pk, published.pk]).count() == 2


def test_delete_selected_asks_about_every_record(editor: Client, loaded_site: None) -> None:
    mine = add_draft(editor, "mine")
    theirs = add_draft(another_editor(), "theirs")
    selected = {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk]}
    confirm = editor.post(ARTICLES, selected).content.decode()
    assert "Cannot delete" in confirm
    assert editor.post(ARTICLES, {**selected, "post": "yes"}).status_code == 403
    assert Article.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
    published = Article.objects.get(slug="does-it-work")
    bulk = {"action": "delete_selected", "_selected_action": [mine.pk, published.pk], "post": "yes"}
    assert editor.post(ARTICLES, bulk).status_code == 403
    editor.post(ARTICLES, {"action": "delete_selected", "_selected_action": [mine.pk], "post": "yes"})
    assert not Article.objects.filter(pk=mine.pk).exists()
    assert Article.objects.filter(pk__in=[theirs.pk, published.pk]).count() == 2


def test_an_editor_deletes_their_own_draft_faq_answer_only(editor: Client, loaded_site: None) -> None:
    category = Question.objects.first().category
    form = {
        "question": "Mine?",
        "slug": "mine",
        "category": category.pk,
        "status": "draft",
        "order": "5",
        "answer": "Yes.",
        "last_reviewed": "",
        "next_review_due": "",
    }
    assert editor.post(f"{QUESTIONS}add/", form).status_code == 302
    mine = Question.objects.get(slug="mine")
    loaded = Question.objects.exclude(pk=mine.pk).first()
    Question.objects.filter(pk=loaded.pk).update(status=Status.DRAFT)
    assert delete(editor, loaded) == 403
    assert delete(editor, mine) == 302
    assert not Question.objects.filter(pk=mine.pk).exists()


def proposed(page: Article, username: str, status: str = "draft") -> PageRevision:
    return PageRevision.objects.create(
        article=page,
        title=page.title,
        summary=page.summary,
        main_message=page.main_message,
        body=page.body,
        change_note="A change.",
        status=status,
        based_on=PageRevision.text_fingerprint(page),
        proposed_by=User.objects.get(username=username),
    )


def test_an_editor_deletes_only_their_own_draft_proposed_changes(
    editor: Client, reviewer: Client, loaded_site: None
) -> None:
    another_editor()
    page = Article.objects.get(slug="does-it-work")
    mine, theirs = proposed(page, "editor"), proposed(page, "second-editor")
    submitted = proposed(page, "editor", status="in_review")
    url = "/admin/articles/pagerevision/{}/delete/"
    assert editor.post(url.format(theirs.pk), {"post": "yes"}).status_code == 403
    assert editor.post(url.format(submitted.pk), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"}
    assert editor.post("/admin/articles/pagerevision/", bulk).status_code == 403
    assert editor.post(url.format(mine.pk), {"post": "yes"}).status_code == 302
    assert list(PageRevision.objects.order_by("pk")) == [theirs, submitted]
    # A reviewer deletes proposed changes as before: anyone's, submitted or not.
    assert reviewer.post(url.format(submitted.pk), {"post": "yes"}).status_code == 302
    assert list(PageRevision.objects.all()) == [theirs]


def test_the_rule_covers_proposed_changes_to_answers(editor: Client, loaded_site: None) -> None:
    another_editor()
    answer = Question.objects.published().first()
    theirs = AnswerRevision.objects.create(
        live_question=answer,
        question=answer.question,
        answer=answer.answer,
        change_note="A change.",
        based_on=AnswerRevision.text_fingerprint(answer),
        proposed_by=User.objects.get(username="second-editor"),
    )
    url = f"/admin/faq/answerrevision/{theirs.pk}/delete/"
    assert editor.post(url, {"post": "yes"}).status_code == 403
