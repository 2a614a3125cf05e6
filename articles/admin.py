from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from markdownx.admin import MarkdownxModelAdmin
from reversion.admin import VersionAdmin

from articles.admin_workflow import PublishingAdmin
from articles.content_sync import rerender_bodies
from articles.forms import ArticleForm, PageRevisionForm
from articles.models import (
    Article,
    ClinicalReview,
    Disclaimer,
    Feedback,
    GlossaryTerm,
    PageRevision,
    Reference,
    RevisionStatus,
    Status,
    page_text_fingerprint,
)
from articles.revisions import CannotPublish, publish_revision

READABILITY_FIELDS = ["reading_grade", "smog_index", "key_points_grade", "care_card_grade"]


class ClinicalReviewInline(admin.TabularInline):
    model = ClinicalReview
    extra = 0
    fields = ["reviewer_name", "reviewer_role", "reviewed_on", "notes"]


@admin.register(Article)
class ArticleAdmin(PublishingAdmin, VersionAdmin, MarkdownxModelAdmin):
    publish_permission = "articles.publish_article"
    form = ArticleForm
    inlines = [ClinicalReviewInline]
    list_display = [
        "title",
        "slug",
        "status",
        "order",
        "reading_grade",
        "smog_index",
        "next_review_due",
        "updated",
    ]
    list_filter = ["status"]
    search_fields = ["title", "summary", "body"]
    ordering = ["order", "title"]
    readonly_fields = ["source_path", "updated", "created", *READABILITY_FIELDS, "proposed_changes"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "status", "order", "proposed_changes"]}),
        ("Review", {"fields": ["last_reviewed", "next_review_due", "prices_checked", "changes"]}),
        ("Text", {"fields": ["body"]}),
        ("Reading level (measured on save)", {"fields": READABILITY_FIELDS}),
        ("Record", {"fields": ["source_path", "created", "updated"], "classes": ["collapse"]}),
    ]

    def view_on_site(self, obj: Article) -> str:
        # "View on site" shows the page as it will look, whatever its status.
        return reverse("articles:preview", kwargs={"slug": obj.slug})

    def get_prepopulated_fields(self, request: HttpRequest, obj: Article | None = None) -> dict:
        return {} if obj else {"slug": ("title",)}

    @admin.display(description="Proposed changes")
    def proposed_changes(self, obj: Article) -> str:
        # A live page is not edited in place (that would publish the edit): changes to it are proposed apart.
        if obj.pk is None or obj.status != Status.PUBLISHED:
            return "Not live: edit this page directly."
        pending = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (
                    reverse("admin:articles_pagerevision_change", args=[r.pk]),
                    r.change_note,
                    r.get_status_display(),
                )
                for r in obj.revisions.all()
            ),
        )
        start = reverse("admin:articles_pagerevision_add") + f"?article={obj.pk}"
        return format_html(
            '<a href="{}">Propose changes to this page</a>. Readers keep seeing this page until a clinical '
            "reviewer publishes them.{}",
            start,
            format_html("<ul>{}</ul>", pending) if pending else "",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list[str]:
        # The slug is the record's key in content/: renaming it in the admin would orphan its file.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


@admin.register(Reference)
class ReferenceAdmin(VersionAdmin):
    list_display = ["key", "authors", "title", "year", "updated"]
    search_fields = ["key", "authors", "title", "publisher"]
    readonly_fields = ["source_path", "updated"]

    def get_readonly_fields(self, request: HttpRequest, obj: Reference | None = None) -> list[str]:
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(VersionAdmin):
    list_display = ["term", "definition", "updated"]
    search_fields = ["term", "definition"]
    readonly_fields = ["source_path", "updated"]
    prepopulated_fields = {"slug": ("term",)}

    # Pages link the first use of each term when they are saved, so a glossary change re-renders them.
    def save_model(self, request: HttpRequest, obj: GlossaryTerm, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        rerender_bodies()

    def delete_model(self, request: HttpRequest, obj: GlossaryTerm) -> None:
        super().delete_model(request, obj)
        rerender_bodies()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[GlossaryTerm]) -> None:
        super().delete_queryset(request, queryset)
        rerender_bodies()


@admin.register(Disclaimer)
class DisclaimerAdmin(VersionAdmin, MarkdownxModelAdmin):
    list_display = ["title", "updated"]
    readonly_fields = ["source_path", "updated"]
    fields = ["title", "body", "source_path", "updated"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One disclaimer serves every page.
        return super().has_add_permission(request) and not Disclaimer.objects.exists()


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """What readers said. Read-only: it is their words, so nobody adds or edits it; editors may delete it."""

    list_display = ["article", "helpful", "short_comment", "created"]
    list_filter = ["helpful", "article"]
    list_select_related = ["article"]
    fields = ["article", "helpful", "comment", "created"]
    readonly_fields = fields

    @admin.display(description="Comment")
    def short_comment(self, obj: Feedback) -> str:
        # Returned as a plain str, so the admin escapes it: a reader's text is never treated as HTML.
        return Truncator(obj.comment).chars(80)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Feedback | None = None) -> bool:
        return False


@admin.register(PageRevision)
class PageRevisionAdmin(MarkdownxModelAdmin):
    """Changes proposed to live pages. Editors write and submit them; a clinical reviewer publishes them.

    Not a VersionAdmin: its views would wrap publishing in one history entry, merging the live text kept
    before publishing with the published text. The page's own history records both.
    """

    form = PageRevisionForm
    list_display = ["__str__", "change_note", "status", "proposed_by", "updated"]
    list_filter = ["status"]
    list_select_related = ["article", "proposed_by"]
    actions = ["submit_for_review", "publish"]
    fields = ["article", "title", "summary", "body", "change_note", "status", "started_from"]

    def get_readonly_fields(self, request: HttpRequest, obj: PageRevision | None = None) -> list[str]:
        return ["article", "proposed_by", "updated"] if obj else []

    def get_fields(self, request: HttpRequest, obj: PageRevision | None = None) -> list[str]:
        if obj:
            return ["article", "title", "summary", "body", "change_note", "status", "proposed_by", "updated"]
        return self.fields

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """Opened from a live page ("Propose changes to this page"): start from its current text."""
        initial = super().get_changeform_initial_data(request)
        page = Article.objects.published().filter(pk=request.GET.get("article") or None).first()
        if page is not None:
            initial.update(
                title=page.title,
                summary=page.summary,
                body=page.body,
                started_from=page_text_fingerprint(page.title, page.summary, page.body),
            )
        return initial

    def save_model(self, request: HttpRequest, obj: PageRevision, form: object, change: bool) -> None:
        if not change:
            obj.proposed_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj: PageRevision) -> str:
        return reverse("articles:revision_preview", kwargs={"pk": obj.pk})

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    @admin.action(description="Submit selected for clinical review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[PageRevision]) -> None:
        changed = queryset.filter(status=RevisionStatus.DRAFT).update(status=RevisionStatus.IN_REVIEW)
        self.message_user(request, f"{changed} submitted for review.", messages.SUCCESS)

    @admin.action(description="Publish selected changes to the live pages", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[PageRevision]) -> None:
        published = 0
        for revision in queryset.select_related("article", "proposed_by"):
            try:
                publish_revision(revision, user=request.user, today=timezone.localdate())
            except CannotPublish as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(request, f"{published} published.", messages.SUCCESS)
