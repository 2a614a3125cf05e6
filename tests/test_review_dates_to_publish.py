"""Drafts need no review dates until they are published: by the form, the list action, the loader, or the
database itself."""

import json
from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils.html import escape

from articles.editorial.dashboard import review_dashboard
from articles.models import REVIEW_DATES_NEEDED_TO_PUBLISH, Article, GlossaryTerm, Status, oldest_review
from faq.models import Question
from tests.conftest import MAIN_MESSAGE, TOPIC_BODY, article_admin_form, question_file

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"
QUESTIONS = "/admin/faq/question/"
NO_DATES = {"last_reviewed": "", "next_review_due": ""}
Load = Callable[..., str]


def dateless_draft(slug: str = "new-draft", **values: object) -> Article:
    """A page without review dates, submitted for review (only what was submitted can be published)."""
    return Article.objects.create(
        slug=slug,
        status=values.pop("status", Status.IN_REVIEW),
        title="A new draft",
        summary="Not reviewed yet.",
        main_message=MAIN_MESSAGE,
        body=TOPIC_BODY.format(body="Draft text."),
        changes=[{"date": "2026-11-30", "summary": "First version of this page."}],
        **values,
    )


def test_an_editor_adds_a_draft_page_without_review_dates(editor: Client, loaded_site: None) -> None:
    form = article_admin_form(slug="new-draft", title="A new draft", status="draft", **NO_DATES)
    response = editor.post(f"{ARTICLES}add/", form)
    assert response.status_code == 302, response.content.decode()
    page = Article.objects.get(slug="new-draft")
    assert (page.status, page.last_reviewed, page.next_review_due) == (Status.DRAFT, None, None)
    # and submits it for review, still without dates
    editor.post(ARTICLES, {"action": "submit_for_review", "_selected_action": [page.pk]})
    page.refresh_from_db()
    assert page.status == Status.IN_REVIEW


def test_publishing_in_the_form_without_review_dates_is_refused(reviewer: Client, loaded_site: None) -> None:
    page = dateless_draft()
    form = article_admin_form(title=page.title, status="published", **NO_DATES)
    response = reviewer.post(f"{ARTICLES}{page.pk}/change/", form)
    assert response.status_code == 200
    assert escape(REVIEW_DATES_NEEDED_TO_PUBLISH) in response.content.decode()
    page.refresh_from_db()
    assert page.status == Status.IN_REVIEW
    # With the dates, it publishes.
    form = article_admin_form(title=page.title, status="published")
    assert reviewer.post(f"{ARTICLES}{page.pk}/change/", form).status_code == 302
    page.refresh_from_db()
    assert (page.status, page.last_reviewed) == (Status.PUBLISHED, date(2026, 11, 26))


def test_publishing_with_the_list_action_skips_records_without_dates_and_says_why(
    reviewer: Client, loaded_site: None
) -> None:
    dateless = dateless_draft()
    dated = dateless_draft("dated-draft", last_reviewed="2026-11-26", next_review_due="2027-11-26")
    response = reviewer.post(
        ARTICLES, {"action": "publish", "_selected_action": [dateless.pk, dated.pk]}, follow=True
    )
    html = response.content.decode()
    assert escape(f"“A new draft” was not published. {REVIEW_DATES_NEEDED_TO_PUBLISH}") in html
    assert "1 published." in html
    dateless.refresh_from_db()
    dated.refresh_from_db()
    assert (dateless.status, dated.status) == (Status.IN_REVIEW, Status.PUBLISHED)


def test_faq_answers_follow_the_same_rule(editor: Client, reviewer: Client, loaded_site: None) -> None:
    category = Question.objects.first().category
    form = {
        "question": "Is a draft answer fine?",
        "slug": "is-a-draft-answer-fine",
        "category": category.pk,
        "status": "draft",
        "order": "5",
        "answer": "Yes.",
        **NO_DATES,
    }
    assert editor.post(f"{QUESTIONS}add/", form).status_code == 302
    answer = Question.objects.get(slug="is-a-draft-answer-fine")
    assert answer.last_reviewed is None
    editor.post(QUESTIONS, {"action": "submit_for_review", "_selected_action": [answer.pk]})
    reviewer.post(QUESTIONS, {"action": "publish", "_selected_action": [answer.pk]})
    answer.refresh_from_db()
    assert answer.status == Status.IN_REVIEW
    response = reviewer.post(f"{QUESTIONS}{answer.pk}/change/", {**form, "status": "published"})
    assert escape(REVIEW_DATES_NEEDED_TO_PUBLISH) in response.content.decode()


def test_the_database_refuses_a_published_row_without_dates_and_dates_out_of_order(
    loaded_site: None,
) -> None:
    page = dateless_draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=page.pk).update(status=Status.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=page.pk).update(last_reviewed="2027-01-01", next_review_due="2026-01-01")
    Article.objects.filter(pk=page.pk).update(last_reviewed="2026-01-01")  # one date, still a draft: fine


def test_kinds_without_a_status_keep_their_dates_required() -> None:
    for name in ("last_reviewed", "next_review_due"):
        field = GlossaryTerm._meta.get_field(name)
        assert not field.null and not field.blank


def draft_page_file(status: str, dates: str = "") -> str:
    return (
        f"---\ntitle: A new draft\nsummary: Not reviewed yet.\nmain_message: {MAIN_MESSAGE}\norder: 50\n"
        f"status: {status}\n{dates}changes:\n  - date: 2026-11-30\n    summary: First version.\n---\n"
        + TOPIC_BODY.format(body="Draft text.")
    )


def test_the_loader_takes_a_draft_file_without_dates(minimal_content: Path, load: Load) -> None:
    (minimal_content / "articles" / "new-draft.md").write_text(draft_page_file("draft"))
    (minimal_content / "faq" / "draft-answer.md").write_text(
        "---\nquestion: A draft?\ncategory: basics\norder: 2\nstatus: in_review\n---\nYes.\n"
    )
    load(minimal_content)
    page = Article.objects.get(slug="new-draft")
    assert (page.status, page.last_reviewed, page.next_review_due) == (Status.DRAFT, None, None)
    assert Question.objects.get(slug="draft-answer").last_reviewed is None


def test_the_loader_refuses_a_published_file_without_dates_naming_it(minimal_content: Path) -> None:
    (minimal_content / "articles" / "new-page.md").write_text(
        draft_page_file("published", "last_reviewed: 2026-11-26\n")
    )
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command(
            "loadcontent", "--content", str(minimal_content), "--check", stdout=StringIO(), stderr=err
        )
    assert (
        "articles/new-page.md: front matter: missing required key(s) 'next_review_due': a published record "
        "needs both review dates (only a draft, or one in review, may leave them out)"
    ) in err.getvalue()
    # Publishing a loaded draft by its file is refused the same way.
    (minimal_content / "articles" / "new-page.md").write_text(draft_page_file("draft"))
    call_command("loadcontent", "--content", str(minimal_content), stdout=StringIO())
    (minimal_content / "faq" / "is-it-proven.md").write_text(
        question_file("Is it proven?", "No.").replace("last_reviewed: 2026-11-26\n", "")
    )
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("loadcontent", "--content", str(minimal_content), stdout=StringIO(), stderr=err)
    assert "faq/is-it-proven.md: front matter: missing required key(s) 'last_reviewed'" in err.getvalue()


def test_an_exported_draft_without_dates_writes_no_date_keys_and_loads_back(
    minimal_content: Path, load: Load
) -> None:
    load(minimal_content)
    dateless_draft(status=Status.DRAFT)
    call_command("exportcontent", "--output", str(minimal_content), stdout=StringIO())
    text = (minimal_content / "articles" / "new-draft.md").read_text()
    assert "status: draft\n" in text
    assert "last_reviewed" not in text and "next_review_due" not in text
    assert "Nothing changed" in load(minimal_content)


def test_a_dateless_draft_shows_in_previews_and_is_left_out_of_reminders(
    admin_client: Client, loaded_site: None
) -> None:
    page = dateless_draft()
    html = admin_client.get(f"/preview/{page.slug}/").content.decode()
    assert "Page last reviewed: not yet (a draft)" in html
    data = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert "lastReviewed" not in data
    answer = Question.objects.first()
    Question.objects.filter(pk=answer.pk).update(
        status=Status.DRAFT, last_reviewed=None, next_review_due=None
    )
    assert admin_client.get("/faq/preview/").status_code == 200
    dashboard = review_dashboard(today=date(2030, 1, 1))  # everything dated is overdue by then
    assert "A new draft" not in {item.title for item in dashboard.overdue + dashboard.due_soon}
    assert admin_client.get("/admin/").status_code == 200
    assert oldest_review(Question.objects.filter(pk=answer.pk)) is None
    assert oldest_review(Question.objects.all()) is not None
    assert admin_client.get(ARTICLES).status_code == 200
