"""Changes proposed to a live page: readers keep the live page until a clinical reviewer publishes them, and
nothing changed on the page meanwhile is ever undone by them."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, PageRevision, RevisionStatus, Status
from faq.models import AnswerRevision, Question
from tests.conftest import TOPIC_BODY

pytestmark = pytest.mark.django_db

REVISIONS = "/admin/articles/pagerevision/"
NEW_TEXT = "Magnesium can make you feel warm and flushed for a short time."


@pytest.fixture
def live(loaded_site: None) -> Article:
    page = Article.objects.get(slug="side-effects")
    assert page.status == Status.PUBLISHED
    return page


def started_form(client: Client, page: Article) -> dict[str, str]:
    """The add form as opened from the live page's "Propose changes" link, as the browser
    would send it back."""
    html = client.get(f"{REVISIONS}add/?article={page.pk}").content.decode()
    started_from = re.search(r'name="started_from" value="([0-9a-f]{64})"', html)
    assert started_from, "the form carries the text it started from"
    assert page.title in html and "Key points" in html  # prefilled with the live text
    return {
        "article": str(page.pk),
        "title": page.title,
        "summary": page.summary,
        "main_message": page.main_message,
        "body": page.body,
        "change_note": "Explained flushing more simply.",
        "status": RevisionStatus.IN_REVIEW,
        "started_from": started_from.group(1),
    }


def propose(client: Client, page: Article, **changes: str) -> PageRevision:
    form = started_form(client, page) | changes
    response = client.post(f"{REVISIONS}add/", form)
    assert response.status_code == 302, response.content.decode()
    return PageRevision.objects.get(article=page)


def publish(client: Client, revision: PageRevision) -> str:
    response = client.post(
        REVISIONS, {"action": "publish", "_selected_action": [str(revision.pk)]}, follow=True
    )
    return response.content.decode()


def with_new_text(page: Article) -> str:
    return page.body.replace("## What we know", f"{NEW_TEXT}\n\n## What we know", 1)


def test_the_live_page_links_to_proposing_changes(editor: Client, live: Article) -> None:
    html = editor.get(f"/admin/articles/article/{live.pk}/change/").content.decode()
    assert f"{REVISIONS}add/?article={live.pk}" in html
    assert "Propose changes" in html


def test_proposed_changes_stay_off_the_live_page_until_published(
    editor: Client, reviewer: Client, client: Client, live: Article
) -> None:
    revision = propose(editor, live, body=with_new_text(live))
    assert revision.proposed_by.username == "editor"

    assert NEW_TEXT not in Client().get("/side-effects/").content.decode()
    preview = editor.get(f"/preview/proposed/{revision.pk}/")
    assert preview.status_code == 200 and NEW_TEXT in preview.content.decode()
    assert "Preview." in preview.content.decode()
    assert Client().get(f"/preview/proposed/{revision.pk}/").status_code == 302  # to the login page

    dashboard = reviewer.get("/admin/").content.decode()
    assert "Changes to a live page" in dashboard and "Explained flushing more simply." in dashboard

    assert "1 published" in publish(reviewer, revision)
    assert NEW_TEXT in Client().get("/side-effects/").content.decode()
    page = Article.objects.get(pk=live.pk)
    assert page.changes[0] == {
        "date": timezone.localdate().isoformat(),
        "summary": "Explained flushing more simply.",
    }
    assert page.changes[1:] == live.changes
    kept = PageRevision.objects.get(pk=revision.pk)  # kept as the record of what was published
    assert kept.status == RevisionStatus.PUBLISHED
    versions = Version.objects.get_for_object(page)
    assert versions[0].revision.comment.startswith("Published changes proposed by editor")
    assert versions[0].revision.user.username == "clinical-reviewer"
    assert any(v.field_dict["body"] == live.body for v in versions[1:])  # the replaced text is kept


def test_an_editor_cannot_publish_proposed_changes(editor: Client, live: Article) -> None:
    revision = propose(editor, live, body=with_new_text(live))
    assert 'value="publish"' not in editor.get(REVISIONS).content.decode()
    publish(editor, revision)
    assert Article.objects.get(pk=live.pk).body == live.body
    assert PageRevision.objects.filter(pk=revision.pk).exists()


def test_changes_are_not_published_over_a_newer_live_page(
    editor: Client, reviewer: Client, live: Article
) -> None:
    revision = propose(editor, live, body=with_new_text(live))
    Article.objects.filter(pk=live.pk).update(summary="Changed since, by a file load.")
    page = publish(reviewer, revision)
    assert "the live text has changed since these changes were started" in page
    assert Article.objects.get(pk=live.pk).summary == "Changed since, by a file load."
    assert NEW_TEXT not in Article.objects.get(pk=live.pk).body
    assert PageRevision.objects.filter(pk=revision.pk).exists()  # kept for the editor to bring up to date


def test_a_page_changed_while_the_editor_writes_is_not_proposed_over(editor: Client, live: Article) -> None:
    form = started_form(editor, live) | {"body": with_new_text(live)}
    Article.objects.filter(pk=live.pk).update(title="Side effects, retitled meanwhile")
    response = editor.post(f"{REVISIONS}add/", form)
    assert response.status_code == 200
    assert "The live text was changed while you were writing" in response.content.decode()
    assert not PageRevision.objects.exists()


def test_proposing_changes_starts_from_the_live_page(editor: Client, live: Article) -> None:
    form = started_form(editor, live)
    del form["started_from"]
    response = editor.post(f"{REVISIONS}add/", form)
    assert "Start from the live text" in response.content.decode()
    assert not PageRevision.objects.exists()


def test_proposed_changes_are_checked_as_the_page_is(editor: Client, live: Article) -> None:
    form = started_form(editor, live) | {"body": "Just one paragraph, no key points.[@nobody2020]"}
    html = editor.post(f"{REVISIONS}add/", form).content.decode()
    assert "[@nobody2020] is not a reference" in html
    assert "must start with the heading" in html
    assert not PageRevision.objects.exists()


def test_hostile_markdown_in_proposed_changes_is_sanitized_in_the_preview(
    editor: Client, live: Article
) -> None:
    hostile = '<script>alert(1)</script> <a href="javascript:alert(2)">x</a> <img src=x onerror=alert(3)>'
    revision = propose(editor, live, body=TOPIC_BODY.format(body=hostile))
    html = editor.get(f"/preview/proposed/{revision.pk}/").content.decode()
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html


def test_only_live_pages_take_proposed_changes(editor: Client, live: Article) -> None:
    Article.objects.filter(pk=live.pk).update(status=Status.DRAFT)
    html = editor.get(f"/admin/articles/article/{live.pk}/change/").content.decode()
    assert "Not live: edit it directly." in html
    form = editor.get(f"{REVISIONS}add/?article={live.pk}").content.decode()
    assert "Key points" not in form  # nothing to start from: a draft is edited in place


ANSWER_CHANGES = "/admin/faq/answerrevision/"
NEW_ANSWER_LINE = "Ask the clinic what is in the drip before you agree to it."


def test_changes_to_a_live_faq_answer_are_proposed_and_published_the_same_way(
    editor: Client, reviewer: Client, loaded_site: None
) -> None:
    answer = Question.objects.published().first()
    html = editor.get(f"/admin/faq/question/{answer.pk}/change/").content.decode()
    assert f"{ANSWER_CHANGES}add/?live_question={answer.pk}" in html

    form = editor.get(f"{ANSWER_CHANGES}add/?live_question={answer.pk}").content.decode()
    started_from = re.search(r'name="started_from" value="([0-9a-f]{64})"', form)
    assert started_from and answer.question in form
    response = editor.post(
        f"{ANSWER_CHANGES}add/",
        {
            "live_question": str(answer.pk),
            "question": answer.question,
            "answer": f"{answer.answer}\n{NEW_ANSWER_LINE}\n",
            "change_note": "Added what to ask the clinic.",
            "status": RevisionStatus.IN_REVIEW,
            "started_from": started_from.group(1),
        },
    )
    assert response.status_code == 302, response.content.decode()
    change = AnswerRevision.objects.get(live_question=answer)

    assert NEW_ANSWER_LINE not in Client().get("/faq/").content.decode()
    preview = editor.get(f"/faq/preview/proposed/{change.pk}/").content.decode()
    assert NEW_ANSWER_LINE in preview and "Preview." in preview
    assert "Changes to a live FAQ answer" in reviewer.get("/admin/").content.decode()

    reviewer.post(ANSWER_CHANGES, {"action": "publish", "_selected_action": [str(change.pk)]})
    assert NEW_ANSWER_LINE in Client().get("/faq/").content.decode()
    assert AnswerRevision.objects.get(pk=change.pk).status == RevisionStatus.PUBLISHED
    latest = Version.objects.get_for_object(Question.objects.get(pk=answer.pk)).first()
    assert latest.revision.comment == "Published changes proposed by editor: Added what to ask the clinic."


def test_changes_are_not_published_over_a_newer_live_answer(
    editor: Client, reviewer: Client, loaded_site: None
) -> None:
    answer = Question.objects.published().first()
    change = AnswerRevision.objects.create(
        live_question=answer,
        question=answer.question,
        answer=f"{answer.answer}\n{NEW_ANSWER_LINE}\n",
        change_note="Added what to ask the clinic.",
        status=RevisionStatus.IN_REVIEW,
        based_on=AnswerRevision.text_fingerprint(answer),
    )
    Question.objects.filter(pk=answer.pk).update(question="Reworded meanwhile?")
    page = reviewer.post(
        ANSWER_CHANGES, {"action": "publish", "_selected_action": [str(change.pk)]}, follow=True
    ).content.decode()
    assert "the live text has changed since these changes were started" in page
    assert NEW_ANSWER_LINE not in Question.objects.get(pk=answer.pk).answer
    assert AnswerRevision.objects.filter(pk=change.pk).exists()


def test_submitted_changes_are_what_the_reviewer_publishes(
    editor: Client, reviewer: Client, live: Article
) -> None:
    """Once submitted, an Editor can no longer change them (the reviewer reads what will be published), and
    only submitted changes are published."""
    submitted = propose(editor, live, body=with_new_text(live))
    change_page = f"{REVISIONS}{submitted.pk}/change/"
    form = started_form(editor, live) | {"body": with_new_text(live).replace(NEW_TEXT, "Something else.")}
    assert editor.post(change_page, form).status_code == 403
    assert PageRevision.objects.get(pk=submitted.pk).body.count(NEW_TEXT) == 1

    PageRevision.objects.filter(pk=submitted.pk).update(status=RevisionStatus.DRAFT)
    page = publish(reviewer, submitted)
    assert "1 not published: only changes submitted for review can be published" in page
    assert NEW_TEXT not in Article.objects.get(pk=live.pk).body


def test_a_bad_link_to_propose_changes_starts_an_empty_form(editor: Client, live: Article) -> None:
    response = editor.get(f"{REVISIONS}add/?article=not-a-number")
    assert response.status_code == 200
    assert "Key points" not in response.content.decode()
