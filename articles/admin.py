from django.contrib import admin
from django.http import HttpRequest
from markdownx.admin import MarkdownxModelAdmin

from articles.forms import CitingBodyForm
from articles.models import Article, Disclaimer, Reference


@admin.register(Article)
class ArticleAdmin(MarkdownxModelAdmin):
    form = CitingBodyForm
    list_display = ["title", "slug", "status", "order", "next_review_due", "updated"]
    list_filter = ["status"]
    search_fields = ["title", "summary", "body"]
    ordering = ["order", "title"]
    readonly_fields = ["source_path", "updated", "created"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "status", "order"]}),
        ("Review", {"fields": ["last_reviewed", "next_review_due"]}),
        ("Text", {"fields": ["body"]}),
        ("Record", {"fields": ["source_path", "created", "updated"], "classes": ["collapse"]}),
    ]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Article | None = None) -> dict:
        return {} if obj else {"slug": ("title",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list[str]:
        # The slug is the record's key in content/: renaming it in the admin would orphan its file.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["key", "authors", "title", "year", "updated"]
    search_fields = ["key", "authors", "title", "publisher"]
    readonly_fields = ["source_path", "updated"]

    def get_readonly_fields(self, request: HttpRequest, obj: Reference | None = None) -> list[str]:
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields


@admin.register(Disclaimer)
class DisclaimerAdmin(MarkdownxModelAdmin):
    list_display = ["title", "updated"]
    readonly_fields = ["source_path", "updated"]
    fields = ["title", "body", "source_path", "updated"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One disclaimer serves every page.
        return super().has_add_permission(request) and not Disclaimer.objects.exists()
