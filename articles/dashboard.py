"""What the editors' dashboard shows: reviews overdue or due soon, and work waiting for a reviewer."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from articles.models import Article, Feedback, PageRevision, RevisionStatus, Status
from faq.models import AnswerRevision, Question

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class ReviewDashboard:
    overdue: list[Article]
    due_soon: list[Article]
    articles_in_review: list[Article]
    questions_in_review: list[Question]
    # Changes proposed to live pages and answers, submitted for review.
    page_changes_in_review: list[PageRevision] = field(default_factory=list)
    answer_changes_in_review: list[AnswerRevision] = field(default_factory=list)
    # The newest reader feedback ("Was this page helpful?"), newest first.
    recent_feedback: list[Feedback] = field(default_factory=list)


def review_dashboard(*, today: date) -> ReviewDashboard:
    articles = Article.objects.order_by("next_review_due")
    return ReviewDashboard(
        overdue=list(articles.filter(next_review_due__lt=today)),
        due_soon=list(
            articles.filter(next_review_due__gte=today, next_review_due__lte=today + timedelta(DUE_SOON_DAYS))
        ),
        articles_in_review=list(Article.objects.filter(status=Status.IN_REVIEW)),
        questions_in_review=list(Question.objects.filter(status=Status.IN_REVIEW)),
        page_changes_in_review=list(
            PageRevision.objects.filter(status=RevisionStatus.IN_REVIEW).select_related("article")
        ),
        answer_changes_in_review=list(
            AnswerRevision.objects.filter(status=RevisionStatus.IN_REVIEW).select_related("live_answer")
        ),
        recent_feedback=list(Feedback.objects.select_related("article")[:10]),
    )
