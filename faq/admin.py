from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from markdownx.admin import MarkdownxModelAdmin
from reversion.admin import VersionAdmin

from articles.admin import READABILITY_FIELDS
from articles.admin_workflow import PublishingAdmin
from articles.forms import CitingBodyForm
from faq.models import Category, Question


class QuestionForm(CitingBodyForm):
    body_field = "answer"


@admin.register(Category)
class CategoryAdmin(VersionAdmin):
    list_display = ["title", "slug", "order"]
    readonly_fields = ["source_path"]


@admin.register(Question)
class QuestionAdmin(PublishingAdmin, VersionAdmin, MarkdownxModelAdmin):
    publish_permission = "faq.publish_question"
    form = QuestionForm
    list_display = ["question", "category", "status", "order", "reading_grade", "updated"]
    list_filter = ["status", "category"]
    search_fields = ["question", "answer"]
    readonly_fields = ["source_path", "created", "updated", *READABILITY_FIELDS]
    fields = [
        "question",
        "slug",
        "category",
        "status",
        "order",
        "answer",
        "reading_grade",
        "smog_index",
        "care_card_grade",
        "source_path",
        "created",
        "updated",
    ]

    def view_on_site(self, obj: Question) -> str:
        return f"{reverse('faq:preview')}#{obj.slug}"

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> list[str]:
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields
