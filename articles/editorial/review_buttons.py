"""The review workflow as buttons on the admin's change form: "Submit for review", "Publish" and "Send back
with a comment" (templates/admin/submit_line.html shows those the user may use).

A button saves the form as "Save" does and moves the record on. It goes through everything a save goes
through (the change permission, the form's checks, the edit-conflict check), and then its own rule: submit a
draft (or changes sent back); publish or send back what is in review, only with the publish permission; send
back only with a comment. Every route into review or publication (a button, the status field, a list action)
records a ReviewStep and emails whom it concerns once the save has committed; a mail failure is told to the
user and the save stands.
"""

from collections.abc import Callable
from typing import Any, ClassVar

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.editorial.notifications import Sent, notify_published, notify_sent_back, notify_submitted
from articles.editorial.review_steps import Action, open_send_back, record_step, steps_of
from articles.models import Status

SUBMIT = "_submit_for_review"
PUBLISH = "_publish"
SEND_BACK = "_send_back"
BUTTON_LABELS = {SUBMIT: "Submit for review", PUBLISH: "Publish", SEND_BACK: "Send back with a comment"}
REVIEW_COMMENT = "review_comment"
REVIEW_RECORD = "review_record"
NEEDS_A_COMMENT = "Write what needs changing before sending it back: the comment goes to its editor."
# Both kinds of status (Status, RevisionStatus) share these values.
IN_REVIEW = Status.IN_REVIEW.value
PUBLISHED = Status.PUBLISHED.value


def pressed_button(request: HttpRequest) -> str | None:
    return next((name for name in BUTTON_LABELS if name in request.POST), None)


def on_form_view(request: HttpRequest) -> bool:
    """Whether this is the add or change form (not a restore from history, which is saved as it is)."""
    view = request.resolver_match.url_name if request.resolver_match else ""
    return view.endswith(("_add", "_change"))


def stored_status(record: Model | None) -> str | None:
    """The record's status as saved (None for a new record): a form shown again holds the one it asked for."""
    if record is None or record.pk is None:
        return None
    return type(record)._default_manager.filter(pk=record.pk).values_list("status", flat=True).first()


def with_review_buttons(form_class: type[forms.ModelForm], statuses: dict[str, str]) -> type[forms.ModelForm]:
    """`form_class` with the reviewer's comment, required to send back. The status each button in `statuses`
    moves the record to is set before the record's own checks run: they see the status it will have."""

    class ReviewButtonsForm(form_class):  # type: ignore[misc,valid-type]
        review_comment = forms.CharField(
            label="Comment for the editor",
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            help_text="What needs changing, and why. It is emailed to the editor and shown on this form.",
        )

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean() or self.cleaned_data
            button = next((name for name in BUTTON_LABELS if name in self.data), None)
            if button == SEND_BACK and not cleaned.get(REVIEW_COMMENT, "").strip():
                self.add_error(REVIEW_COMMENT, NEEDS_A_COMMENT)
            if button in statuses and "status" in self.fields:
                cleaned["status"] = statuses[button]
            return cleaned

    ReviewButtonsForm.__name__ = form_class.__name__
    return ReviewButtonsForm


def tell(request: HttpRequest, record: Model, action: str, comment: str = "") -> None:
    """Email whom a review step concerns, once the save commits (an email about a save that was rolled back
    would be wrong). A failure is told to the user; the save stands."""
    by = request.user
    notify: dict[str, tuple[str, Callable[[], Sent]]] = {
        Action.SUBMITTED: ("the clinical reviewers", lambda: notify_submitted(record, by=by)),
        Action.PUBLISHED: ("its author", lambda: notify_published(record, by=by)),
        Action.SENT_BACK: ("its editor", lambda: notify_sent_back(record, by=by, comment=comment)),
    }
    whom, send = notify[action]

    def deliver() -> None:
        sent = send()
        if sent.error:
            messages.warning(
                request,
                f"“{record}” was saved, but the email to {whom} could not be sent ({sent.error}). Tell them "
                "another way; the dashboard lists everything waiting for review.",
            )

    transaction.on_commit(deliver)


def take_step(request: HttpRequest, record: Model, action: str, comment: str = "") -> None:
    record_step(record, action, user=request.user, comment=comment)
    tell(request, record, action, comment)


def review_record_html(record: Model) -> SafeString:
    """The record's review steps, newest first, with an open send-back's comment first and plain to see."""
    steps = steps_of(record)
    sent_back = open_send_back(record)
    notice = (
        format_html(
            '<p class="review-sent-back"><strong>{}:</strong><br>{}</p>'
            "<p>Make the changes asked for, then choose “Submit for review”.</p>",
            sent_back,
            linebreaksbr(sent_back.comment, autoescape=True),
        )
        if sent_back
        else ""
    )
    earlier = steps[1:] if sent_back else steps  # an open send-back is the notice above
    rows = format_html_join(
        "",
        "<li>{}{}</li>",
        ((step, format_html(": {}", step.comment) if step.comment else "") for step in earlier),
    )
    return format_html('{}<ul class="review-steps">{}</ul>', notice, rows) if earlier else notice


class ReviewButtonsAdmin:
    """A ModelAdmin mixin for records that go through review (PublishingAdmin, ProposedChangeAdmin)."""

    SUBMITTABLE: ClassVar[tuple[str, ...]] = (Status.DRAFT,)  # the statuses a record may be submitted from
    SENT_BACK_TO: ClassVar[str] = Status.DRAFT
    # Whether "Publish" sets the status as it saves (pages, answers), rather than publishing after the save.
    PUBLISH_SETS_STATUS: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = {SUBMIT: IN_REVIEW, SEND_BACK: self.SENT_BACK_TO}
        if self.PUBLISH_SETS_STATUS:
            statuses[PUBLISH] = PUBLISHED
        self.button_statuses = statuses
        self.form = with_review_buttons(self.form, statuses)  # type: ignore[has-type]

    def status_choices(self, request: HttpRequest, status: str | None) -> list[str]:
        """What the status field offers a record in `status` (None: not saved yet): where it is, and where its
        review buttons may take it, so the field, the buttons and the list actions follow one rule. Not
        sending back: that needs a comment, so only its button does it. A reviewer may also take a published
        page down to a draft."""
        choices = [status or Status.DRAFT]
        choices += [
            self.button_statuses[button]
            for button in self.review_buttons(request, status)
            if button != SEND_BACK and button in self.button_statuses
        ]
        if status == PUBLISHED and self.PUBLISH_SETS_STATUS and self.has_publish_permission(request):
            choices.append(Status.DRAFT)
        return list(dict.fromkeys(choices))

    def get_form(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> type:
        form = super().get_form(request, obj, **kwargs)  # type: ignore[misc]
        field = form.base_fields.get("status")
        if field is not None:
            allowed = self.status_choices(request, stored_status(obj) if obj is not None else None)
            field.choices = [choice for choice in field.choices if choice[0] in allowed]
        return form

    def has_publish_permission(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def review_buttons(self, request: HttpRequest, status: str | None) -> list[str]:
        """The buttons for a record in `status` (None: not saved yet), for a user who may change it."""
        buttons = [SUBMIT] if status is None or status in self.SUBMITTABLE else []
        if status == IN_REVIEW and self.has_publish_permission(request):
            buttons += [PUBLISH, SEND_BACK]
        return buttons

    @admin.display(description="Steps")
    def review_record(self, obj: Model) -> SafeString:
        return review_record_html(obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), REVIEW_RECORD]  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        # A copy: it may be the admin class's own list.
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None:
            return fieldsets
        if steps_of(obj):
            fieldsets.insert(0, ("Review steps", {"fields": [REVIEW_RECORD]}))
        if on_form_view(request) and SEND_BACK in self.review_buttons(request, obj.status):
            description = "To send it back, write what needs changing and choose “Send back with a comment”."
            fieldsets.append(("Send back", {"fields": [REVIEW_COMMENT], "description": description}))
        return fieldsets

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Model | None = None,
    ) -> HttpResponse:
        if add:
            may_save = self.has_add_permission(request)  # type: ignore[attr-defined]
        else:
            may_save = self.has_change_permission(request, obj)  # type: ignore[attr-defined]
        if may_save and on_form_view(request):
            buttons = self.review_buttons(request, None if add else stored_status(obj))
            context["review_buttons"] = [(name, BUTTON_LABELS[name]) for name in buttons]
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool) -> None:
        before = stored_status(obj) if change else None
        button = pressed_button(request)
        if button is not None and button not in self.review_buttons(request, before):
            raise PermissionDenied(f"“{BUTTON_LABELS[button]}” is not yours to use on this record now.")
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if button == SEND_BACK:
            take_step(request, obj, Action.SENT_BACK, form.cleaned_data[REVIEW_COMMENT])
        elif obj.status == IN_REVIEW and before != IN_REVIEW:
            take_step(request, obj, Action.SUBMITTED)
        elif obj.status == PUBLISHED and before != PUBLISHED:
            take_step(request, obj, Action.PUBLISHED)

    def response_add(self, request: HttpRequest, obj: Model, post_url_continue: str | None = None) -> Any:
        button = pressed_button(request)
        if button is None:
            return super().response_add(request, obj, post_url_continue)  # type: ignore[misc]
        return self.response_to_button(request, obj, button, self.response_post_save_add)

    def response_change(self, request: HttpRequest, obj: Model) -> Any:
        button = pressed_button(request)
        if button is None:
            return super().response_change(request, obj)  # type: ignore[misc]
        return self.response_to_button(request, obj, button, self.response_post_save_change)

    def response_to_button(
        self, request: HttpRequest, obj: Model, button: str, done: Callable[[HttpRequest, Model], Any]
    ) -> Any:
        outcomes = {
            SUBMIT: (IN_REVIEW, "was submitted for review", "Submitted for review"),
            PUBLISH: (PUBLISHED, "was published", "Published"),
            SEND_BACK: (self.SENT_BACK_TO, "was sent back to its editor with your comment", "Sent back"),
        }
        status, message, history = outcomes[button]
        if obj.status != status:  # publishing was refused: the message says why; the form shows it again
            return HttpResponseRedirect(request.path)
        if reversion.is_active():  # the record's history says what happened, not "Changed status"
            comment = request.POST.get(REVIEW_COMMENT, "").strip() if button == SEND_BACK else ""
            reversion.set_comment(f"{history}: {comment}" if comment else history)
        self.message_user(request, f"“{obj}” {message}.", messages.SUCCESS)
        return done(request, obj)
