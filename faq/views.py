"""The FAQ page: published questions, grouped by category, each answer linkable by its anchor."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from faq.models import Category, Question


def faq_index(request: HttpRequest) -> HttpResponse:
    published = Question.objects.published().order_by("order", "question")
    categories = [
        category
        for category in Category.objects.prefetch_related(Prefetch("questions", queryset=published))
        if category.questions.all()
    ]
    return render(request, "faq/faq_index.html", {"categories": categories})
