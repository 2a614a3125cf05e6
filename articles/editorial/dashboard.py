"""What the editors' dashboard shows: reviews overdue or due soon, and work waiting for a reviewer.

Which kinds appear, and under what label, each kind declares in the content-kind registry (`OnDashboard`).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from articles.models import Feedback, ProposedChange, RevisionStatus, Status
from articles.registry import content_kinds

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class DashboardItem:
    label: str  # what it is: "Page", "Changes to a live FAQ answer"
    title: str
    admin_url: str
    note: str = ""  # a due date, or a proposed change's note


def admin_url(record: Model) -> str:
    """Where the record is edited ("" for a kind the admin does not show)."""
    try:
        return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class ReviewDashboard:
    overdue: list[DashboardItem]
    due_soon: list[DashboardItem]
    # New records and changes proposed to live ones, submitted for review.
    waiting: list[DashboardItem] = field(default_factory=list)
    # The newest reader feedback ("Was this page helpful?"), newest first.
    recent_feedback: list[Feedback] = field(default_factory=list)


def review_dashboard(*, today: date) -> ReviewDashboard:
    overdue: list[DashboardItem] = []
    due_soon: list[DashboardItem] = []
    waiting: list[DashboardItem] = []
    changes: list[DashboardItem] = []
    for kind in content_kinds():
        shown = kind.dashboard
        if shown is None:
            continue
        model = kind.model
        if shown.review_reminders:
            records = model.objects.order_by("next_review_due")
            soon = today + timedelta(DUE_SOON_DAYS)
            overdue += [
                DashboardItem(
                    shown.label, getattr(r, shown.title_field), admin_url(r), f"was due {r.next_review_due}"
                )
                for r in records.filter(next_review_due__lt=today)
            ]
            due_soon += [
                DashboardItem(
                    shown.label, getattr(r, shown.title_field), admin_url(r), f"due {r.next_review_due}"
                )
                for r in records.filter(next_review_due__gte=today, next_review_due__lte=soon)
            ]
        waiting += [
            DashboardItem(shown.label, getattr(r, shown.title_field), admin_url(r))
            for r in model.objects.filter(status=Status.IN_REVIEW)
        ]
        for proposals in ProposedChange.__subclasses__():
            if proposals.live_model() is not model:
                continue
            in_review = proposals.objects.filter(status=RevisionStatus.IN_REVIEW).select_related(
                proposals.LIVE_FIELD
            )
            changes += [
                DashboardItem(
                    shown.changes_label,
                    getattr(change.live, shown.title_field),
                    admin_url(change),
                    change.change_note,
                )
                for change in in_review
            ]
    return ReviewDashboard(
        overdue=overdue,
        due_soon=due_soon,
        waiting=waiting + changes,
        recent_feedback=list(Feedback.objects.select_related("article")[:10]),
    )
