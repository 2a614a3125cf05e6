"""The review workflow as buttons on the change form: "Submit for review", "Publish" and "Send back with a
comment", each shown only to those who may use it and refused to anyone else; outcomes stay visible (a
sent-back comment on the form, published proposals kept read-only); each step emails whom it concerns."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from reversion.models import Version

from articles.editorial.review_buttons import NEEDS_A_COMMENT, PUBLISH, REVIEW_COMMENT, SEND_BACK, SUBMIT
from articles.models import Article, PageRevision, ReviewStep, RevisionStatus, Status
from faq.models import AnswerRevision, Question
from tests.test_edit_conflicts import opened_form

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"
REVISIONS = "/admin/articles/pagerevision/"
ANSWER_CHANGES = "/admin/faq/answerrevision/"
COMMENT = "Say how long the flushing lasts, and cite the trial for it."
CHANGE_PAGES = {Article: ARTICLES, PageRevision: REVISIONS, AnswerRevision: ANSWER_CHANGES}


def user_of(client: Client) -> User:
    return User.objects.get(pk=client.session["_auth_user_id"])


def give_address(client: Client, address: str) -> None:
    User.objects.filter(pk=user_of(client).pk).update(email=address)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Callable) -> Callable:
    """Post as the browser would, then run what waits for the save to commit (its emails), as a commit would:
    the test's own transaction never commits."""

    def post(client: Client, url: str, data: dict) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


@pytest.fixture
def draft(loaded_site: None) -> Article:
    article = Article.objects.get(slug="side-effects")
    article.status = Status.DRAFT
    article.save()
    return article


@pytest.fixture
def proposal(loaded_site: None, editor: Client) -> PageRevision:
    """Changes to the live "Side effects" page, proposed by the editor and submitted for review."""
    page = Article.objects.get(slug="side-effects")
    return PageRevision.objects.create(
        article=page,
        **{name: getattr(page, name) for name in PageRevision.REVISED_FIELDS},
        change_note="Explained flushing more simply.",
        status=RevisionStatus.IN_REVIEW,
        based_on=PageRevision.text_fingerprint(page),
        proposed_by=user_of(editor),
    )


def change_page(record: object) -> str:
    return f"{CHANGE_PAGES[type(record)]}{record.pk}/change/"


def press(committed: Callable, client: Client, record: object, button: str, **changes: str) -> object:
    """Open the record's change form and press `button`, the form otherwise as it was opened."""
    url = change_page(record)
    return committed(client, url, {**opened_form(client, url), **changes, button: "1"})


def buttons_on(client: Client, record: object) -> set[str]:
    html = client.get(change_page(record)).content.decode()
    return {button for button in (SUBMIT, PUBLISH, SEND_BACK) if f'name="{button}"' in html}


def test_each_user_sees_only_the_buttons_they_may_use(
    editor: Client, reviewer: Client, draft: Article, proposal: PageRevision
) -> None:
    assert buttons_on(editor, draft) == {SUBMIT}
    assert buttons_on(reviewer, draft) == {SUBMIT}
    Article.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW)
    assert buttons_on(editor, draft) == set()
    assert buttons_on(reviewer, draft) == {PUBLISH, SEND_BACK}
    assert f'name="{REVIEW_COMMENT}"' in reviewer.get(change_page(draft)).content.decode()
    assert f'name="{REVIEW_COMMENT}"' not in editor.get(change_page(draft)).content.decode()

    assert buttons_on(reviewer, proposal) == {PUBLISH, SEND_BACK}
    assert buttons_on(editor, proposal) == set()  # read-only for its editor once submitted
    PageRevision.objects.filter(pk=proposal.pk).update(status=RevisionStatus.DRAFT)
    assert buttons_on(editor, proposal) == {SUBMIT}
    assert f'name="{SUBMIT}"' in editor.get(f"{REVISIONS}add/?article={proposal.article_id}").content.decode()


def test_submitting_emails_the_reviewers_who_have_an_address(
    editor: Client, reviewer: Client, draft: Article, committed: Callable
) -> None:
    give_address(reviewer, "reviewer@example.org")
    give_address(editor, "editor@example.org")
    quiet = User.objects.create_user("quiet-reviewer", is_staff=True)  # a reviewer without an address
    quiet.groups.set(user_of(reviewer).groups.all())

    response = press(committed, editor, draft, SUBMIT)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    [email] = mail.outbox
    assert email.to == ["reviewer@example.org"]  # reviewers only, and only those with an address
    assert email.subject == f"For review: Article “{draft.title}”"
    assert f"http://127.0.0.1:8000{ARTICLES}{draft.pk}/change/" in email.body
    step = draft.review_steps.get()
    assert (step.action, step.user) == (ReviewStep.Action.SUBMITTED, user_of(editor))
    assert Version.objects.get_for_object(draft).first().revision.comment == "Submitted for review"


def test_an_editor_cannot_publish_or_send_back_by_posting_the_button(
    editor: Client, draft: Article, proposal: PageRevision, committed: Callable
) -> None:
    Article.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW)
    for button in (PUBLISH, SEND_BACK):
        url = change_page(draft)
        form = {**opened_form(editor, url), REVIEW_COMMENT: COMMENT, button: "1"}
        assert committed(editor, url, form).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert committed(editor, change_page(proposal), {PUBLISH: "1"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.IN_REVIEW
    assert not ReviewStep.objects.exists() and not mail.outbox


def test_a_reviewer_publishes_a_page_and_its_author_is_told(
    editor: Client, reviewer: Client, draft: Article, committed: Callable
) -> None:
    give_address(editor, "editor@example.org")
    press(committed, editor, draft, SUBMIT)
    mail.outbox.clear()
    response = press(committed, reviewer, draft, PUBLISH)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    [email] = mail.outbox
    assert email.to == ["editor@example.org"] and email.subject == f"Published: Article “{draft.title}”"
    assert [s.action for s in draft.review_steps.all()] == [
        ReviewStep.Action.PUBLISHED,
        ReviewStep.Action.SUBMITTED,
    ]


def test_sending_back_needs_a_comment(reviewer: Client, draft: Article, committed: Callable) -> None:
    Article.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW)
    response = press(committed, reviewer, draft, SEND_BACK, **{REVIEW_COMMENT: "   "})
    assert response.status_code == 200
    assert NEEDS_A_COMMENT in response.content.decode()
    assert f'name="{SEND_BACK}"' in response.content.decode()  # the form shown again still offers it
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW and not mail.outbox and not ReviewStep.objects.exists()


def test_a_page_sent_back_returns_to_draft_with_the_comment_for_its_editor(
    editor: Client, reviewer: Client, draft: Article, committed: Callable
) -> None:
    give_address(editor, "editor@example.org")
    press(committed, editor, draft, SUBMIT)
    mail.outbox.clear()
    assert press(committed, reviewer, draft, SEND_BACK, **{REVIEW_COMMENT: COMMENT}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    [email] = mail.outbox
    assert email.to == ["editor@example.org"] and COMMENT in email.body
    assert "clinical-reviewer sent Article" in email.body
    assert Version.objects.get_for_object(draft).first().revision.comment == f"Sent back: {COMMENT}"

    form = editor.get(change_page(draft)).content.decode()
    assert "review-sent-back" in form and COMMENT in form
    press(committed, editor, draft, SUBMIT)  # resubmitted: the comment is no longer a notice, but stays
    form = reviewer.get(change_page(draft)).content.decode()
    assert "review-sent-back" not in form and COMMENT in form
    assert draft.review_steps.get(action=ReviewStep.Action.SENT_BACK).comment == COMMENT


def test_a_published_proposal_stays_read_only_with_its_outcome(
    editor: Client, reviewer: Client, proposal: PageRevision, committed: Callable
) -> None:
    give_address(editor, "editor@example.org")
    response = press(committed, reviewer, proposal, PUBLISH)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PUBLISHED
    assert Article.objects.get(pk=proposal.article_id).changes[0]["summary"] == proposal.change_note
    [email] = mail.outbox
    assert email.to == ["editor@example.org"] and email.subject == f"Published: {proposal}"
    step = proposal.review_steps.get()
    assert (step.action, step.user) == (ReviewStep.Action.PUBLISHED, user_of(reviewer))

    for client in (editor, reviewer):  # read-only: the record of what was published
        assert buttons_on(client, proposal) == set()
        assert (
            client.post(change_page(proposal), opened_form(client, change_page(proposal))).status_code == 403
        )
    listing = reviewer.get(f"{REVISIONS}?status__exact=published").content.decode()
    assert "Published by clinical-reviewer on" in listing and proposal.change_note in listing
    assert proposal.change_note not in reviewer.get(f"{REVISIONS}?status__exact=in_review").content.decode()
    page_form = reviewer.get(f"{ARTICLES}{proposal.article_id}/change/").content.decode()
    assert change_page(proposal) not in page_form  # no longer listed as proposed on the live page
    assert (
        proposal.change_note not in reviewer.get("/admin/").content.decode()
    )  # nor waiting on the dashboard


def test_a_proposal_sent_back_is_editable_again_and_resubmitted(
    editor: Client, reviewer: Client, proposal: PageRevision, committed: Callable
) -> None:
    give_address(editor, "editor@example.org")
    give_address(reviewer, "reviewer@example.org")
    assert press(committed, reviewer, proposal, SEND_BACK, **{REVIEW_COMMENT: COMMENT}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.SENT_BACK
    [email] = mail.outbox
    assert email.to == ["editor@example.org"] and COMMENT in email.body
    assert f"http://127.0.0.1:8000{change_page(proposal)}" in email.body
    listing = reviewer.get(f"{REVISIONS}?status__exact=sent_back").content.decode()
    assert "Sent back by clinical-reviewer on" in listing

    form = editor.get(change_page(proposal)).content.decode()
    assert "review-sent-back" in form and COMMENT in form
    assert buttons_on(editor, proposal) == {SUBMIT}
    mail.outbox.clear()
    summary = "Side effects of the drip, and how long they last."
    assert press(committed, editor, proposal, SUBMIT, summary=summary).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.summary) == (RevisionStatus.IN_REVIEW, summary)
    assert [e.to for e in mail.outbox] == [["reviewer@example.org"]]
    assert "review-sent-back" not in reviewer.get(change_page(proposal)).content.decode()
    assert proposal.review_steps.filter(comment=COMMENT).exists()  # kept in the record


def test_a_refused_publication_keeps_the_proposal_in_review(
    reviewer: Client, proposal: PageRevision, committed: Callable
) -> None:
    Article.objects.filter(pk=proposal.article_id).update(summary="Changed since, by a file load.")
    response = press(committed, reviewer, proposal, PUBLISH)
    assert response.status_code == 302 and response.headers["Location"] == change_page(proposal)
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.IN_REVIEW and not mail.outbox
    assert "the live text has changed" in reviewer.get(change_page(proposal)).content.decode()


def test_a_proposal_without_an_author_is_published_without_email(
    reviewer: Client, proposal: PageRevision, committed: Callable
) -> None:
    PageRevision.objects.filter(pk=proposal.pk).update(proposed_by=None)  # e.g. made from a content file
    proposal.refresh_from_db()
    assert press(committed, reviewer, proposal, PUBLISH).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PUBLISHED and not mail.outbox


def test_the_buttons_work_on_changes_to_a_faq_answer_too(
    editor: Client, reviewer: Client, loaded_site: None, committed: Callable
) -> None:
    answer = Question.objects.published().first()
    change = AnswerRevision.objects.create(
        live_question=answer,
        question=answer.question,
        answer=f"{answer.answer}\nAsk the clinic what is in the drip.\n",
        change_note="Added what to ask the clinic.",
        based_on=AnswerRevision.text_fingerprint(answer),
        proposed_by=user_of(editor),
    )
    give_address(editor, "editor@example.org")
    assert press(committed, editor, change, SUBMIT).status_code == 302
    assert press(committed, reviewer, change, SEND_BACK, **{REVIEW_COMMENT: COMMENT}).status_code == 302
    assert press(committed, editor, change, SUBMIT).status_code == 302
    assert press(committed, reviewer, change, PUBLISH).status_code == 302
    change.refresh_from_db()
    assert change.status == RevisionStatus.PUBLISHED
    assert "Ask the clinic" in Question.objects.get(pk=answer.pk).answer
    assert [e.subject.split(":")[0] for e in mail.outbox] == ["Sent back", "Published"]


def test_list_actions_record_the_step_and_email_too(
    editor: Client, reviewer: Client, draft: Article, committed: Callable
) -> None:
    give_address(reviewer, "reviewer@example.org")
    committed(editor, ARTICLES, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    assert draft.review_steps.get().action == ReviewStep.Action.SUBMITTED
    assert [e.to for e in mail.outbox] == [["reviewer@example.org"]]


def test_a_restore_from_history_offers_no_review_buttons(
    editor: Client, reviewer: Client, draft: Article, committed: Callable
) -> None:
    press(committed, editor, draft, SUBMIT)  # the version kept is in review: the buttons would apply to it
    version = Version.objects.get_for_object(draft).first()
    html = reviewer.get(f"{ARTICLES}{draft.pk}/history/{version.pk}/").content.decode()
    assert 'name="_save"' in html
    assert not [name for name in (SUBMIT, PUBLISH, SEND_BACK, REVIEW_COMMENT) if f'name="{name}"' in html]
