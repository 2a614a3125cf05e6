"""What the editors' dashboard shows: reviews overdue or due soon, and work waiting for a reviewer.

Which kinds appear, and under what label, each kind declares in the content-kind registry (`OnDashboard`).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Model
from django.urls import NoReverseMatch

from articles.editorial.admin_urls import admin_url
from articles.editorial.proposal_comparison import comparison_url
from articles.models import Feedback, ProposedChange, RevisionStatus, Status
from articles.registry import content_kinds

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class DashboardItem:
    label: str  # what it is: "Page", "Changes to a live FAQ answer"
    title: str
    admin_url: str
    note: str = ""  # a due date, or a proposed change's note


def edit_url(record: Model) -> str:
    """Where the record is edited ("" for a kind the admin does not show)."""
    try:
        return admin_url(record, "change", record.pk)
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


def item(label: str, record: Model, note: str = "") -> DashboardItem:
    return DashboardItem(label, getattr(record, record.TITLE_FIELD), edit_url(record), note)


def review_dashboard(*, today: date) -> ReviewDashboard:
    overdue: list[DashboardItem] = []
    due_soon: list[DashboardItem] = []
    waiting: list[DashboardItem] = []
    soon = today + timedelta(DUE_SOON_DAYS)
    for kind in content_kinds():
        shown = kind.dashboard
        if shown is None:
            continue
        model = kind.model
        if shown.review_reminders:
            records = model.objects.order_by("next_review_due")
            overdue += [
                item(shown.label, r, f"was due {r.next_review_due}")
                for r in records.filter(next_review_due__lt=today)
            ]
            due_soon += [
                item(shown.label, r, f"due {r.next_review_due}")
                for r in records.filter(next_review_due__gte=today, next_review_due__lte=soon)
            ]
        if "status" in model.CONTENT_FIELDS:
            waiting += [item(shown.label, r) for r in model.objects.filter(status=Status.IN_REVIEW)]
        if proposals := ProposedChange.model_for(model):
            in_review = proposals.objects.filter(status=RevisionStatus.IN_REVIEW)
            waiting += [
                DashboardItem(
                    shown.changes_label,
                    getattr(change.live, model.TITLE_FIELD),
                    comparison_url(change),  # what the reviewer reads first
                    change.change_note,
                )
                for change in in_review.select_related(proposals.LIVE_FIELD)
            ]
    return ReviewDashboard(
        overdue=overdue,
        due_soon=due_soon,
        waiting=waiting,
        recent_feedback=list(Feedback.objects.select_related("article")[:10]),
    )
