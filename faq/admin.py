from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from articles.admin import READABILITY_FIELDS
from articles.editorial.admin_workflow import (
    ProposedChangeAdmin,
    ReviewedBodyAdmin,
)
from articles.editorial.edit_conflicts import EditConflictAdmin
from articles.editorial.history import HistoryVersionAdmin
from articles.forms import CitingBodyForm, ProposedChangeForm
from faq.models import AnswerRevision, Category, Question


class AnswerRevisionForm(ProposedChangeForm):
    class Meta:
        model = AnswerRevision
        fields = ["live_question", "question", "answer", "change_note", "status"]


@admin.register(Category)
class CategoryAdmin(EditConflictAdmin, HistoryVersionAdmin):
    list_display = ["title", "slug", "order"]
    readonly_fields = ["source_path"]


@admin.register(Question)
class QuestionAdmin(ReviewedBodyAdmin):
    publish_permission = "faq.publish_question"
    form = CitingBodyForm  # the admin sets its model to Question
    list_display = ["question", "category", "status", "order", "reading_grade", "next_review_due", "updated"]
    list_filter = ["status", "category"]
    search_fields = ["question", "answer"]
    readonly_fields = [
        "source_path",
        "created_by",
        "created",
        "updated",
        *READABILITY_FIELDS,
        "proposed_changes",
        "writing_aids",
    ]
    fields = [
        "question",
        "slug",
        "category",
        "status",
        "proposed_changes",
        "order",
        "last_reviewed",
        "next_review_due",
        "answer",
        "writing_aids",
        "reading_grade",
        "smog_index",
        "care_card_grade",
        "source_path",
        "created_by",
        "created",
        "updated",
    ]

    def view_on_site(self, obj: Question) -> str:
        return f"{reverse('faq:preview')}#{obj.slug}"

    prepopulated_fields = {"slug": ("question",)}  # a new answer's anchor, from its question as typed

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> list[str]:
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "slug"] if obj else readonly

    def get_prepopulated_fields(self, request: HttpRequest, obj: Question | None = None) -> dict:
        return {} if obj else self.prepopulated_fields  # a saved answer's slug is fixed: links use it


@admin.register(AnswerRevision)
class AnswerRevisionAdmin(ProposedChangeAdmin):
    form = AnswerRevisionForm
    preview_url_name = "faq:revision_preview"
