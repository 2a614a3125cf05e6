"""`python manage.py sendreviewreminders`: email the Clinical reviewers the reviews overdue or due within 30
days. Run it daily from cron."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.editorial.dashboard import DUE_SOON_DAYS
from articles.editorial.notifications import send_review_reminders


class Command(BaseCommand):
    help = (
        "Email every Clinical reviewer with an email address the reviews overdue or due within "
        f"{DUE_SOON_DAYS} days (nothing when there are none). Run it daily from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminder = send_review_reminders(today=timezone.localdate())
        due = f"{reminder.overdue} overdue, {reminder.due_soon} due within {DUE_SOON_DAYS} days"
        if reminder.sent.error:
            raise CommandError(f"Reviews due ({due}), but the reminder was not sent: {reminder.sent.error}")
        if not reminder.overdue and not reminder.due_soon:
            self.stdout.write(f"No review is overdue or due within {DUE_SOON_DAYS} days: nothing sent.")
        elif not reminder.sent.to:
            self.stdout.write(
                f"Reviews due ({due}), but no Clinical reviewer has an email address: nothing sent. The "
                "admin's dashboard lists them."
            )
        else:
            self.stdout.write(f"Sent the review reminder ({due}) to {', '.join(reminder.sent.to)}.")
