from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from markdownx.admin import MarkdownxModelAdmin
from reversion.admin import VersionAdmin

from articles.editorial.admin_workflow import ProposedChangeAdmin, PublishingAdmin, proposed_changes_links
from articles.editorial.edit_conflicts import EditConflictAdmin
from articles.forms import ArticleForm, DecisionOptionForm, PageRevisionForm, SharedBlockForm
from articles.models import (
    Article,
    ClinicalReview,
    DecisionOption,
    Disclaimer,
    Feedback,
    GlossaryTerm,
    PageRevision,
    Reference,
    SharedBlock,
)
from articles.rerendering import bodies_citing, bodies_using, rerender_bodies

READABILITY_FIELDS = ["reading_grade", "smog_index", "key_points_grade", "care_card_grade"]


class ClinicalReviewInline(admin.TabularInline):
    model = ClinicalReview
    extra = 0
    fields = ["reviewer_name", "reviewer_role", "reviewed_on", "notes"]


@admin.register(Article)
class ArticleAdmin(EditConflictAdmin, PublishingAdmin, VersionAdmin, MarkdownxModelAdmin):
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
        (
            None,
            {"fields": ["title", "slug", "summary", "main_message", "status", "order", "proposed_changes"]},
        ),
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
        return proposed_changes_links(obj, PageRevision)

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list[str]:
        # The slug is the record's key in content/: renaming it in the admin would orphan its file.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "slug"] if obj else readonly


@admin.register(Reference)
class ReferenceAdmin(EditConflictAdmin, VersionAdmin):
    list_display = ["key", "authors", "title", "year", "url", "updated"]
    search_fields = ["key", "authors", "title", "publisher"]
    readonly_fields = ["source_path", "updated"]

    # No bulk delete: it does not ask has_delete_permission(obj). A reference is deleted from its own form.
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Reference | None = None) -> list[str]:
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Reference | None = None) -> bool:
        # A cited reference stays: pages would show a citation with no source, and the numbers after it
        # would no longer match the list.
        return super().has_delete_permission(request, obj) and (obj is None or not cited_by(obj))


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EditConflictAdmin, VersionAdmin):
    list_display = ["term", "definition", "next_review_due", "updated"]
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


def cited_by(reference: Reference) -> list[str]:
    """The pages, answers, blocks and decision aid options that cite `reference`."""
    bodies = [str(record) for record in bodies_citing(reference.key)]
    options = [str(option) for option in DecisionOption.objects.all() if reference.key in option.cited_keys()]
    return bodies + options


@admin.register(DecisionOption)
class DecisionOptionAdmin(EditConflictAdmin, VersionAdmin):
    """The decision aid's options: each answers the table's questions in short, cited cells. A change shows
    on the options page at once, so the cells are checked as the loader checks the file."""

    form = DecisionOptionForm
    list_display = ["name", "order", "last_reviewed", "next_review_due", "updated"]
    search_fields = ["name", *DecisionOption.CITING_FIELDS]
    readonly_fields = ["source_path", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "order"]}),
        (
            "The table's questions",
            {
                "fields": list(DecisionOption.CITING_FIELDS),
                "description": (
                    'One short paragraph each. Cite every figure with [@key]; write figures as "X in 100"; '
                    'where nothing is known, say "Not known" and why.'
                ),
            },
        ),
        ("Review", {"fields": ["last_reviewed", "next_review_due", "source_path", "updated"]}),
    ]
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request: HttpRequest, obj: DecisionOption | None = None) -> list[str]:
        # The slug is the option's key in content/decision-aid/options.yaml and in readers' summary links.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def get_prepopulated_fields(self, request: HttpRequest, obj: DecisionOption | None = None) -> dict:
        return {} if obj else self.prepopulated_fields


def pages_using(block: SharedBlock) -> list[str]:
    """The pages and answers whose body uses `block`, by title or question."""
    return [str(record) for record in bodies_using({block.slug})]


@admin.register(SharedBlock)
class SharedBlockAdmin(EditConflictAdmin, VersionAdmin, MarkdownxModelAdmin):
    """Blocks written once and shown on many pages. Saving one renders the pages that use it again; one in
    use cannot be deleted (the pages would silently lose it, an emergency card perhaps)."""

    form = SharedBlockForm
    # No bulk delete: it does not ask has_delete_permission(obj). A block is deleted from its own form.
    actions = None
    list_display = ["slug", "title", "care_card_grade", "updated"]
    search_fields = ["slug", "title", "body"]
    readonly_fields = ["used_on", "source_path", "updated", *READABILITY_FIELDS]
    fields = ["slug", "title", "body", "used_on", *READABILITY_FIELDS, "source_path", "updated"]

    def get_readonly_fields(self, request: HttpRequest, obj: SharedBlock | None = None) -> list[str]:
        # The slug is how pages name the block, and its file name in content/.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    @admin.display(description="Used on")
    def used_on(self, obj: SharedBlock) -> str:
        return "; ".join(pages_using(obj)) or "No page uses it yet."

    def has_delete_permission(self, request: HttpRequest, obj: SharedBlock | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not pages_using(obj))

    def save_model(self, request: HttpRequest, obj: SharedBlock, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        rerender_bodies(using_blocks={obj.slug})


@admin.register(Disclaimer)
class DisclaimerAdmin(EditConflictAdmin, VersionAdmin, MarkdownxModelAdmin):
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
class PageRevisionAdmin(ProposedChangeAdmin):
    form = PageRevisionForm
    preview_url_name = "articles:revision_preview"
