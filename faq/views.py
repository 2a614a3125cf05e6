"""The FAQ page: published questions, grouped by category, each answer linkable by its anchor."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from articles.editorial.editor_preview import refused_preview_response
from articles.models import attach_references, oldest_review
from articles.rendering.input_limits import BodyTooComplex
from faq.models import AnswerRevision, Category, Question


def grouped(questions: QuerySet[Question]) -> list[Category]:
    """Categories that have any of `questions`, each with its own, in order."""
    questions = questions.order_by("order", "question")
    categories = [
        category
        for category in Category.objects.prefetch_related(Prefetch("questions", queryset=questions))
        if category.questions.all()
    ]
    attach_references(question for category in categories for question in category.questions.all())
    return categories


def faq_index(request: HttpRequest) -> HttpResponse:
    published = Question.objects.published()
    return render(
        request,
        "faq/faq_index.html",
        {"categories": grouped(published), "review_dates": oldest_review(published)},
    )


@never_cache
@staff_member_required
def faq_preview(request: HttpRequest) -> HttpResponse:
    """The FAQ page with every answer, drafts and those in review included. Staff only."""
    everything = Question.objects.all()
    return render(
        request,
        "faq/faq_index.html",
        {"categories": grouped(everything), "review_dates": oldest_review(everything), "preview": True},
    )


@never_cache
@staff_member_required
def revision_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A live answer as it would be with the proposed changes published, under a "preview" banner (staff)."""
    change = get_object_or_404(AnswerRevision, pk=pk)
    try:
        answer = change.as_live()
    except BodyTooComplex as refused:
        return refused_preview_response(refused)
    attach_references([answer])
    return render(request, "faq/answer_preview.html", {"question": answer, "preview": True})
