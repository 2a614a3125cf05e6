"""draft -> in review -> published, enforced in the admin for every route an editor could take.

An Editor may write and submit for review; only a user with the model's publish permission (the Clinical
reviewer group) may set "published". The rule is applied where every admin route passes: the status field's
choices (the change form, and django-reversion's revert and recover views, which reuse it), the review
buttons on the form (review_buttons), the list actions, and the change permission on a published record (an
Editor sees it read-only: editing live text would be publishing it). Changes to a live record are proposed
apart from it (ProposedChangeAdmin) and published, or sent back with a comment, by a reviewer.
"""

from typing import Any

import reversion
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.editorial.admin_urls import admin_url
from articles.editorial.body_editor import BodyEditorAdmin
from articles.editorial.edit_conflicts import EditConflictAdmin
from articles.editorial.history import HistoryVersionAdmin
from articles.editorial.own_drafts import OwnDraftsAdmin, OwnProposedChangesAdmin
from articles.editorial.proposal_comparison import ProposalComparisonAdmin
from articles.editorial.publishing import CannotPublish, publish_changes
from articles.editorial.review_buttons import PUBLISH, ReviewButtonsAdmin, pressed_button, take_step, tell
from articles.editorial.review_steps import Action
from articles.models import (
    MISSING_REVIEW_DATES,
    REVIEW_DATES_NEEDED_TO_PUBLISH,
    ProposedChange,
    RevisionStatus,
    Status,
)


class PublishingAdmin(ReviewButtonsAdmin):
    publish_permission: str  # e.g. "articles.publish_article"
    actions = ["submit_for_review", "publish"]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.publish_permission)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # Live text is a reviewer's to change, and text in review is what the reviewer is reading: an Editor
        # sees both read-only (changes to a live record are proposed apart).
        locked = (Status.PUBLISHED, Status.IN_REVIEW)
        if obj is not None and obj.status in locked and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is not None and obj.status == Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Submit selected for clinical review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = move_to(
            queryset.filter(status=Status.DRAFT), Status.IN_REVIEW, request, "Submitted for review"
        )
        for record in changed:
            take_step(request, record, Action.SUBMITTED)
        self.message_user(request, f"{len(changed)} submitted for review.", messages.SUCCESS)

    @admin.action(description="Publish selected", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        # As the Publish button: only what was submitted, so that what is published is what was reviewed.
        not_submitted = queryset.exclude(status__in=(Status.IN_REVIEW, Status.PUBLISHED)).count()
        if not_submitted:
            self.message_user(
                request,
                f"{not_submitted} not published: only what was submitted for review can be published.",
                messages.WARNING,
            )
        submitted = queryset.filter(status=Status.IN_REVIEW)
        refuse_without_review_dates(self, request, submitted)
        changed = move_to(submitted.exclude(MISSING_REVIEW_DATES), Status.PUBLISHED, request, "Published")
        for record in changed:
            take_step(request, record, Action.PUBLISHED)
        self.message_user(request, f"{len(changed)} published.", messages.SUCCESS)


def refuse_without_review_dates(model_admin: Any, request: HttpRequest, queryset: QuerySet) -> None:
    """Say which of the records about to be published are not, for want of review dates (a draft may have
    none; see ReviewedWhenPublished)."""
    for record in queryset.filter(MISSING_REVIEW_DATES):
        model_admin.message_user(
            request, f"“{record}” was not published. {REVIEW_DATES_NEEDED_TO_PUBLISH}", messages.ERROR
        )


def move_to(queryset: QuerySet, status: str, request: HttpRequest, comment: str) -> list[models.Model]:
    # save() per record, not update(): history records each change under the user's name. Read under a lock in
    # the same transaction, so that a form saved meanwhile is not written back over.
    with transaction.atomic(), reversion.create_revision():
        records = list(queryset.select_for_update())
        reversion.set_user(request.user)
        reversion.set_comment(f"{comment} (list action)")
        for record in records:
            record.status = status
            record.save()
    return records


def proposed_changes_links(live: models.Model, change_model: type[ProposedChange]) -> str:
    """For a live record's admin form: a link to propose changes to it, and the changes already proposed.

    A live record is not edited in place (that would publish the edit): changes to it are proposed apart.
    """
    if not change_model.is_live(live):
        return "Not live: edit it directly."
    pending = format_html_join(
        "",
        '<li><a href="{}">{}</a> ({})</li>',
        (
            (admin_url(change_model, "change", c.pk), c.change_note, c.get_status_display())
            for c in change_model.objects.filter(**{change_model.LIVE_FIELD: live}).exclude(
                status=RevisionStatus.PUBLISHED  # published changes are part of the live text now
            )
        ),
    )
    return format_html(
        '<a href="{}?{}={}">Propose changes</a>. Readers keep seeing the live text until a clinical reviewer '
        "publishes them.{}",
        admin_url(change_model, "add"),
        change_model.LIVE_FIELD,
        live.pk,
        format_html("<ul>{}</ul>", pending) if pending else "",
    )


class ProposesChangesAdmin:
    """A ModelAdmin mixin for a kind whose live records an Editor may not change in place: its form links to
    proposing changes (the `proposed_changes` field), of the kind ProposedChange.model_for names, which a
    Clinical reviewer publishes."""

    @admin.display(description="Proposed changes")
    def proposed_changes(self, obj: models.Model) -> str:
        change_model = ProposedChange.model_for(type(obj))
        assert change_model is not None, f"no proposed changes are made to {type(obj).__name__}"
        return proposed_changes_links(obj, change_model)


class ReviewedBodyAdmin(
    ProposesChangesAdmin,
    EditConflictAdmin,
    OwnDraftsAdmin,
    PublishingAdmin,
    HistoryVersionAdmin,
    BodyEditorAdmin,
):
    """The admin of a kind that goes draft -> in review -> published with a Markdown body (pages, FAQ
    answers): proposed changes once live, no lost update, own drafts deleted, review buttons, History with
    restores, and the body editor."""


class ProposedChangeAdmin(
    OwnProposedChangesAdmin, EditConflictAdmin, ReviewButtonsAdmin, ProposalComparisonAdmin, BodyEditorAdmin
):
    """Changes proposed to live records. Editors write and submit them; a clinical reviewer publishes them or
    sends them back with a comment. Published changes stay, read-only, as the record of what was published.

    Not a VersionAdmin: its views would wrap publishing in one history entry, merging the live text kept
    before publishing with the published text. The live record's own history records both.
    """

    SUBMITTABLE = (RevisionStatus.DRAFT, RevisionStatus.SENT_BACK)
    SENT_BACK_TO = RevisionStatus.SENT_BACK
    PUBLISH_SETS_STATUS = False  # publish_changes publishes them, once the form is saved

    # The staff preview of the live record with the changes, for kinds that have one.
    preview_url_name: str | None = None
    list_display = ["__str__", "change_note", "status", "outcome", "proposed_by", "updated"]
    list_filter = ["status"]
    actions = ["submit_for_review", "publish"]

    def get_list_select_related(self, request: HttpRequest) -> list[str]:
        return [self.model.LIVE_FIELD, "proposed_by"]  # each row names its live record

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProposedChange]:
        return super().get_queryset(request).prefetch_related("review_steps__user")  # the outcome column

    @admin.display(description="Outcome")
    def outcome(self, obj: ProposedChange) -> str:
        """The latest step: published or sent back, or submitted and waiting."""
        latest = next(iter(obj.review_steps.all()), None)
        return str(latest) if latest is not None else ""

    def has_change_permission(self, request: HttpRequest, obj: ProposedChange | None = None) -> bool:
        # Published changes are the record of what was published.
        if obj is not None and obj.status == RevisionStatus.PUBLISHED:
            return False
        # Submitted changes are what the reviewer reads and publishes: only a reviewer may still change them.
        if (
            obj is not None
            and obj.status == RevisionStatus.IN_REVIEW
            and not self.has_publish_permission(request)
        ):
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request: HttpRequest, obj: ProposedChange | None = None) -> list[str]:
        model = self.model
        fields = [
            model.LIVE_FIELD,
            *model.REVISED_FIELDS,
            *self.writing_aids_fields(),
            "change_note",
            "status",
        ]
        if obj is None:
            return [*fields, "started_from"]
        return [model.LIVE_FIELD, "compared_with_live", *fields[1:], "proposed_by", "updated"]

    def get_readonly_fields(self, request: HttpRequest, obj: ProposedChange | None = None) -> list[str]:
        readonly = super().get_readonly_fields(request, obj)
        shown = [self.model.LIVE_FIELD, "compared_with_live", "proposed_by", "updated"] if obj else []
        return [*readonly, *shown, *self.writing_aids_fields()]

    def writing_aids_fields(self) -> list[str]:
        """The writing aids, for changes to a Markdown body (not to a reference or a glossary term)."""
        return ["writing_aids"] if self.model.revises_rendered_body() else []

    def get_form(self, request: HttpRequest, obj: ProposedChange | None = None, **kwargs: Any) -> type:
        form = super().get_form(request, obj, **kwargs)
        live = form.base_fields.get(self.model.LIVE_FIELD)
        if live is not None:  # only choose the live record here: adding or editing one has its own form
            widget = live.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
        return form

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """Opened from a live record ("Propose changes"): start from its current text."""
        initial = super().get_changeform_initial_data(request)
        model = self.model
        pk = request.GET.get(model.LIVE_FIELD, "")
        record = model.live_records().filter(pk=pk).first() if pk.isdigit() else None
        if record is not None:
            initial.update({name: getattr(record, name) for name in model.REVISED_FIELDS})
            initial["started_from"] = model.text_fingerprint(record)
        return initial

    def save_model(self, request: HttpRequest, obj: ProposedChange, form: Any, change: bool) -> None:
        if not change:
            obj.proposed_by = request.user
        super().save_model(request, obj, form, change)
        if pressed_button(request) == PUBLISH:  # allowed: ReviewButtonsAdmin.save_model checked it
            self.publish_one(request, obj)

    def publish_one(self, request: HttpRequest, change: ProposedChange) -> bool:
        """Publish submitted changes; False, with the reason told to the user, when that is refused."""
        try:
            publish_changes(change, user=request.user, today=timezone.localdate())
        except CannotPublish as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return False
        tell(request, change, Action.PUBLISHED)
        return True

    def view_on_site(self, obj: ProposedChange) -> str | None:
        if self.preview_url_name is None:
            return None  # no "View on site" link
        return reverse(self.preview_url_name, kwargs={"pk": obj.pk})

    def has_publish_permission(self, request: HttpRequest) -> bool:
        live = self.model.live_model()._meta
        return request.user.has_perm(f"{live.app_label}.publish_{live.model_name}")

    @admin.action(description="Submit selected for clinical review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[ProposedChange]) -> None:
        changes = list(queryset.filter(status__in=self.SUBMITTABLE))
        for change in changes:
            change.status = RevisionStatus.IN_REVIEW
            change.save(update_fields=["status", "updated"])
            take_step(request, change, Action.SUBMITTED)
        self.message_user(request, f"{len(changes)} submitted for review.", messages.SUCCESS)

    @admin.action(description="Publish selected changes to the live text", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[ProposedChange]) -> None:
        drafts = queryset.exclude(status=RevisionStatus.IN_REVIEW).count()
        if drafts:
            self.message_user(
                request,
                f"{drafts} not published: only changes submitted for review can be published.",
                messages.WARNING,
            )
        published = 0
        submitted = queryset.filter(status=RevisionStatus.IN_REVIEW)
        for change in submitted.select_related(self.model.LIVE_FIELD, "proposed_by"):
            published += self.publish_one(request, change)
        if published:
            self.message_user(request, f"{published} published.", messages.SUCCESS)
