from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from articles.change_log import change_log_html
from articles.editorial.admin_workflow import (
    ProposedChangeAdmin,
    ProposesChangesAdmin,
    ReviewedBodyAdmin,
)
from articles.editorial.body_editor import BodyEditorAdmin
from articles.editorial.edit_conflicts import EditConflictAdmin, EditConflictInline
from articles.editorial.history import HistoryVersionAdmin
from articles.forms import (
    ArticleForm,
    DecisionOptionForm,
    DisclaimerForm,
    DisclaimerRevisionForm,
    GlossaryTermRevisionForm,
    PageRevisionForm,
    ReferenceRevisionForm,
    SharedBlockForm,
    SharedBlockRevisionForm,
)
from articles.models import (
    Article,
    ClinicalReview,
    DecisionOption,
    Disclaimer,
    DisclaimerRevision,
    Feedback,
    GlossaryTerm,
    GlossaryTermRevision,
    LoadedFromFile,
    PageRevision,
    ProposedChange,
    Reference,
    ReferenceRevision,
    SharedBlock,
    SharedBlockRevision,
)
from articles.rerendering import bodies_citing, bodies_using, rerender_after_changing

READABILITY_FIELDS = ["reading_grade", "smog_index", "key_points_grade", "care_card_grade"]


class RendersIntoBodiesAdmin:
    """A ModelAdmin mixin for a kind whose records show inside pages' stored HTML (a glossary term links from
    them, a shared block is part of them): saving or deleting one renders those pages again, as publishing
    changes proposed to it does (articles.rerendering.rerender_after_changing)."""

    def save_model(self, request: HttpRequest, obj: LoadedFromFile, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        rerender_after_changing(type(obj), {obj.content_key})

    def delete_model(self, request: HttpRequest, obj: LoadedFromFile) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        rerender_after_changing(type(obj), {obj.content_key})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        keys = {record.content_key for record in queryset}
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        rerender_after_changing(queryset.model, keys)


class ClinicalReviewInline(EditConflictInline, admin.TabularInline):
    model = ClinicalReview
    extra = 0
    fields = ["reviewer_name", "reviewer_role", "reviewed_on", "notes"]


@admin.register(Article)
class ArticleAdmin(ReviewedBodyAdmin):
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
    readonly_fields = [
        "source_path",
        "created_by",
        "updated",
        "created",
        *READABILITY_FIELDS,
        "proposed_changes",
        "change_log",
        "writing_aids",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "main_message", "status", "order", "proposed_changes"]},
        ),
        ("Review", {"fields": ["last_reviewed", "next_review_due", "prices_checked", "changes"]}),
        ("Text", {"fields": ["body", "writing_aids"]}),
        ("Reading level (measured on save)", {"fields": READABILITY_FIELDS}),
        ("Record", {"fields": ["source_path", "created_by", "created", "updated"], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> list:
        """Read-only (an Editor looking at a published page), the change log shows as a list, not as JSON."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": ["change_log" if f == "changes" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description="Changes")
    def change_log(self, obj: Article) -> str:
        return change_log_html(obj.changes)

    def view_on_site(self, obj: Article) -> str:
        # "View on site" shows the page as it will look, whatever its status.
        return reverse("articles:preview", kwargs={"slug": obj.slug})

    def get_prepopulated_fields(self, request: HttpRequest, obj: Article | None = None) -> dict:
        return {} if obj else {"slug": ("title",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list[str]:
        # The slug is the record's key in content/: renaming it in the admin would orphan its file.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "slug"] if obj else readonly


@admin.register(Reference)
class ReferenceAdmin(ProposesChangesAdmin, EditConflictAdmin, HistoryVersionAdmin):
    """References. An Editor adds them (one nobody cites shows nowhere) and proposes changes to them."""

    list_display = ["key", "authors", "title", "year", "url", "updated"]
    search_fields = ["key", "authors", "title", "publisher"]
    readonly_fields = ["source_path", "updated", "proposed_changes"]
    fields = ["key", "proposed_changes", *Reference.CONTENT_FIELDS, "source_path", "updated"]

    def get_readonly_fields(self, request: HttpRequest, obj: Reference | None = None) -> list[str]:
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Reference | None = None) -> bool:
        # A cited reference stays: pages would show a citation with no source, and the numbers after it
        # would no longer match the list. Asked for each record by the delete view and, through Django's
        # get_deleted_objects, by "Delete selected", which deletes nothing if any selected one is cited.
        return super().has_delete_permission(request, obj) and (obj is None or not cited_by(obj))


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(RendersIntoBodiesAdmin, ProposesChangesAdmin, EditConflictAdmin, HistoryVersionAdmin):
    """Glossary terms. Pages link the first use of each term when they are rendered, so a change renders them
    again. A new term shows at once: Clinical reviewers add them; Editors propose changes to them."""

    list_display = ["term", "definition", "next_review_due", "updated"]
    search_fields = ["term", "definition"]
    readonly_fields = ["source_path", "updated", "proposed_changes"]
    fields = [
        "term",
        "slug",
        "proposed_changes",
        "definition",
        "aliases",
        "last_reviewed",
        "next_review_due",
        "source_path",
        "updated",
    ]
    prepopulated_fields = {"slug": ("term",)}


def cited_by(reference: Reference) -> list[str]:
    """The pages, answers, blocks and decision aid options that cite `reference`."""
    bodies = [str(record) for record in bodies_citing(reference.key)]
    options = [str(option) for option in DecisionOption.objects.all() if reference.key in option.cited_keys()]
    return bodies + options


@admin.register(DecisionOption)
class DecisionOptionAdmin(EditConflictAdmin, HistoryVersionAdmin):
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
class SharedBlockAdmin(
    RendersIntoBodiesAdmin, ProposesChangesAdmin, EditConflictAdmin, HistoryVersionAdmin, BodyEditorAdmin
):
    """Blocks written once and shown on many pages. Saving one renders the pages that use it again; one in
    use cannot be deleted (the pages would silently lose it, an emergency card perhaps). Clinical reviewers
    change them; Editors propose changes to them."""

    form = SharedBlockForm
    list_display = ["slug", "title", "care_card_grade", "updated"]
    search_fields = ["slug", "title", "body"]
    readonly_fields = [
        "used_on",
        "source_path",
        "updated",
        "proposed_changes",
        *READABILITY_FIELDS,
        "writing_aids",
    ]
    fields = [
        "slug",
        "proposed_changes",
        "title",
        "body",
        "writing_aids",
        "used_on",
        *READABILITY_FIELDS,
        "source_path",
        "updated",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: SharedBlock | None = None) -> list[str]:
        # The slug is how pages name the block, and its file name in content/.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    @admin.display(description="Used on")
    def used_on(self, obj: SharedBlock) -> str:
        return "; ".join(pages_using(obj)) or "No page uses it yet."

    def has_delete_permission(self, request: HttpRequest, obj: SharedBlock | None = None) -> bool:
        # Asked for each record by the delete view and by "Delete selected" (see ReferenceAdmin).
        return super().has_delete_permission(request, obj) and (obj is None or not pages_using(obj))


@admin.register(Disclaimer)
class DisclaimerAdmin(ProposesChangesAdmin, EditConflictAdmin, HistoryVersionAdmin, BodyEditorAdmin):
    """The disclaimer on every page. Clinical reviewers change it; Editors propose changes to it."""

    form = DisclaimerForm
    list_display = ["title", "updated"]
    readonly_fields = ["source_path", "updated", "proposed_changes"]
    fields = ["title", "proposed_changes", "body", "source_path", "updated"]

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


class ReadersViewAdmin(ProposedChangeAdmin):
    """Changes to a kind with no page of its own to preview them on: a saved change's form shows the record as
    readers will see it, from the template the site shows it with."""

    def readers_view(self, record: LoadedFromFile) -> SafeString:
        raise NotImplementedError

    @admin.display(description="As readers will see it")
    def as_readers_see_it(self, obj: ProposedChange) -> SafeString:
        return self.readers_view(obj.proposed_record())

    def get_fields(self, request: HttpRequest, obj: ProposedChange | None = None) -> list[str]:
        fields = super().get_fields(request, obj)
        return [*fields, "as_readers_see_it"] if obj else fields

    def get_readonly_fields(self, request: HttpRequest, obj: ProposedChange | None = None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "as_readers_see_it"] if obj else fields


@admin.register(GlossaryTermRevision)
class GlossaryTermRevisionAdmin(ReadersViewAdmin):
    form = GlossaryTermRevisionForm

    def readers_view(self, record: LoadedFromFile) -> SafeString:
        return format_html(
            '<dl class="glossary">{}</dl>', render_to_string("includes/glossary_term.html", {"term": record})
        )


@admin.register(ReferenceRevision)
class ReferenceRevisionAdmin(ReadersViewAdmin):
    form = ReferenceRevisionForm

    def readers_view(self, record: LoadedFromFile) -> SafeString:
        item = render_to_string("includes/reference_item.html", {"ref": record, "anchor_prefix": "preview-"})
        return format_html('<ol class="references">{}</ol>', item)


@admin.register(DisclaimerRevision)
class DisclaimerRevisionAdmin(ProposedChangeAdmin):
    # No page preview: the body's live preview beside it in the form (markdownx) shows the text.
    form = DisclaimerRevisionForm


@admin.register(SharedBlockRevision)
class SharedBlockRevisionAdmin(ProposedChangeAdmin):
    # No page preview: the body's live preview beside it in the form (markdownx) shows the block.
    form = SharedBlockRevisionForm
