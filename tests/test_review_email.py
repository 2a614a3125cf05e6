"""Email about reviews: the daily reminder of reviews due (`sendreviewreminders`), and a mail server that
fails: the save stands and the user is told."""

import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from articles.editorial.review_buttons import SUBMIT
from articles.editorial.roles import CLINICAL_REVIEWER, EDITOR, sync_groups
from articles.models import Article, Status
from articles.registry import content_kinds
from tests.test_edit_conflicts import opened_form

pytestmark = pytest.mark.django_db


def reviewer_named(name: str, email: str = "") -> User:
    user = User.objects.create_user(name, email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=CLINICAL_REVIEWER))
    return user


def reminders() -> str:
    out = StringIO()
    call_command("sendreviewreminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def nothing_due(loaded_site: None) -> None:
    later = timezone.localdate() + timedelta(days=400)
    for kind in content_kinds():
        if kind.dashboard is not None and kind.dashboard.review_reminders:
            kind.model.objects.update(next_review_due=later)


def due_in(slug: str, days: int) -> Article:
    due = timezone.localdate() + timedelta(days=days)
    Article.objects.filter(slug=slug).update(last_reviewed=due - timedelta(days=365), next_review_due=due)
    return Article.objects.get(slug=slug)


def test_reviewers_with_an_address_get_the_reviews_overdue_and_due_soon(nothing_due: None) -> None:
    overdue_page, due_page, later_page = (
        due_in("side-effects", -3),
        due_in("does-it-work", 20),
        due_in("how-to-get-it", 31),
    )
    reviewer_named("ann", "ann@example.org")
    reviewer_named("bob")  # no address: skipped
    editor = User.objects.create_user("eve", email="eve@example.org", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))

    printed = reminders()
    assert printed.strip() == "Sent the review reminder (1 overdue, 1 due within 30 days) to ann@example.org."
    [email] = mail.outbox
    assert email.to == ["ann@example.org"]
    assert email.subject == "Clinical reviews: 1 overdue, 1 due within 30 days"
    overdue, due_soon = email.body.split("Review due within 30 days:")
    assert overdue_page.title in overdue and f"was due {overdue_page.next_review_due}" in overdue
    assert f"http://127.0.0.1:8000/admin/articles/article/{overdue_page.pk}/change/" in overdue
    assert due_page.title in due_soon
    assert later_page.title not in email.body


def test_nothing_is_sent_when_no_review_is_due(nothing_due: None) -> None:
    reviewer_named("ann", "ann@example.org")
    assert reminders().strip() == "No review is overdue or due within 30 days: nothing sent."
    assert not mail.outbox


def test_reviewers_without_an_address_are_skipped_without_error(nothing_due: None) -> None:
    due_in("side-effects", 0)
    reviewer_named("bob")
    assert "no Clinical reviewer has an email address: nothing sent" in reminders()
    assert not mail.outbox


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings) -> None:
    """A real SMTP backend pointed at a port where no mail server listens."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": unused_port(), "timeout": 2},
        }
    }


def test_the_reminder_command_fails_loudly_when_the_mail_server_does(
    nothing_due: None, mail_server_down: None
) -> None:
    due_in("side-effects", 0)
    reviewer_named("ann", "ann@example.org")
    with pytest.raises(CommandError, match="the reminder was not sent"):
        reminders()


@pytest.mark.django_db(transaction=True)
def test_a_mail_failure_keeps_the_save_and_tells_the_user(loaded_site: None, mail_server_down: None) -> None:
    # A transactional test: the email waits for the save to commit, as it does in production.
    sync_groups(Group, Permission)
    reviewer_named("ann", "ann@example.org")
    editor = User.objects.create_user("eve", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client = Client()
    client.force_login(editor)
    article = Article.objects.get(slug="side-effects")
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    url = f"/admin/articles/article/{article.pk}/change/"

    response = client.post(url, {**opened_form(client, url), SUBMIT: "1"}, follow=True)
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW  # saved
    page = response.content.decode()
    assert "was submitted for review" in page
    assert "but the email to the clinical reviewers could not be sent" in page
    assert not mail.outbox
