"""Email about reviews: to the Clinical reviewers when something is submitted for review, to its author when
it is published or sent back (with the reviewer's comment), and the daily reminder of reviews due.

Users without an email address are skipped: the dashboard shows everything anyway. Nothing here raises when
the mail server fails: the failure is logged and returned, so that the save it follows is never lost and the
admin can tell the user.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage, mailers
from django.db.models import Model
from django.urls import reverse
from django.utils.text import capfirst

from articles.editorial.dashboard import DUE_SOON_DAYS, DashboardItem, edit_url, review_dashboard
from articles.editorial.review_steps import author_of
from articles.editorial.roles import CLINICAL_REVIEWER
from articles.models import ProposedChange

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    to: list[str] = field(default_factory=list)
    error: str = ""  # why nothing was sent: the mail server's refusal


def absolute(path: str) -> str:
    """An address on this site for a link in an email (SITE_URL: emails are read away from the site)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send(subject: str, body: str, addresses: Sequence[str]) -> Sent:
    """One message per address, so that no recipient sees the others'."""
    if not addresses:
        return Sent()
    subject = " ".join(subject.split())  # a title saved with a line break would make the header invalid
    messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
    try:
        mailers.default.send_messages(messages)
    except OSError as error:  # smtplib's errors, refused connections and timeouts are all OSErrors
        logger.exception("Could not send %r to %s", subject, ", ".join(addresses))
        return Sent(error=str(error) or type(error).__name__)
    return Sent(list(addresses))


def reviewer_addresses() -> list[str]:
    """Every active Clinical reviewer's address (those without one are skipped)."""
    reviewers = get_user_model().objects.filter(groups__name=CLINICAL_REVIEWER, is_active=True)
    return list(reviewers.exclude(email="").order_by("email").values_list("email", flat=True).distinct())


def name_of(record: Model) -> str:
    """What the record is, for a subject line: 'Article “Side effects”', 'Changes to “Side effects”'."""
    if isinstance(record, ProposedChange):
        return str(record)
    return f"{capfirst(record._meta.verbose_name)} “{record}”"


def username(user: AbstractBaseUser | None) -> str:
    return user.get_username() if user is not None else "Someone"


def change_note(record: Model) -> str:
    return f"What changed: {record.change_note}\n\n" if isinstance(record, ProposedChange) else ""


def notify_submitted(record: Model, *, by: AbstractBaseUser | None, from_file: str = "") -> Sent:
    """`from_file`: the content file whose text a load (`loadcontent --prefer file`) proposed."""
    submitted = (
        f"The text of {from_file} (loadcontent --prefer file) is proposed as {name_of(record)}, for "
        "clinical review."
        if from_file
        else f"{username(by)} submitted {name_of(record)} for clinical review."
    )
    return send(
        f"For review: {name_of(record)}",
        f"{submitted}\n\n{change_note(record)}"
        f"Read it, then publish it or send it back with a comment: {absolute(edit_url(record))}\n",
        reviewer_addresses(),
    )


def author_address(record: Model, *, by: AbstractBaseUser | None) -> list[str]:
    """The author's address; none when there is no author or address, or when the author took the step."""
    author = author_of(record)
    if author is None or not author.email or author == by:
        return []
    return [author.email]


def notify_published(record: Model, *, by: AbstractBaseUser | None) -> Sent:
    return send(
        f"Published: {name_of(record)}",
        f"{username(by)} published {name_of(record)}. Readers see it now.\n\n"
        f"{change_note(record)}{absolute(edit_url(record))}\n",
        author_address(record, by=by),
    )


def notify_sent_back(record: Model, *, by: AbstractBaseUser | None, comment: str) -> Sent:
    return send(
        f"Sent back: {name_of(record)}",
        f"{username(by)} sent {name_of(record)} back to you with this comment:\n\n{comment.strip()}\n\n"
        f"Make the changes asked for, then choose “Submit for review”: {absolute(edit_url(record))}\n",
        author_address(record, by=by),
    )


@dataclass(frozen=True)
class Reminder:
    overdue: int
    due_soon: int
    sent: Sent


def reminder_line(item: DashboardItem) -> str:
    link = f" {absolute(item.admin_url)}" if item.admin_url else ""
    return f"- {item.label}: {item.title} ({item.note}){link}\n"


def send_review_reminders(*, today: date) -> Reminder:
    """Email every Clinical reviewer with an address the reviews overdue or due soon (the dashboard's lists);
    nothing when none are."""
    dashboard = review_dashboard(today=today)
    overdue, due_soon = dashboard.overdue, dashboard.due_soon
    if not overdue and not due_soon:
        return Reminder(0, 0, Sent())
    lists = (("Review overdue", overdue), (f"Review due within {DUE_SOON_DAYS} days", due_soon))
    sections = [f"{heading}:\n{''.join(map(reminder_line, items))}" for heading, items in lists if items]
    body = "\n".join(sections) + f"\nThe dashboard lists them too: {absolute(reverse('admin:index'))}\n"
    subject = f"Clinical reviews: {len(overdue)} overdue, {len(due_soon)} due within {DUE_SOON_DAYS} days"
    return Reminder(len(overdue), len(due_soon), send(subject, body, reviewer_addresses()))
