"""No lost update in the admin: a change form remembers the state of the record it was opened on, and a save
over a record that someone changed since is refused, saying who changed it and when, with a word-level
comparison of their version and yours. The editor's text stays in the form.

The form also says who else opened the same record in the last few minutes (no script needed: it is part of
the page).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from reversion.models import Version

from articles.editorial.comparisons import changed_fields, comparable
from articles.fingerprints import fingerprint
from articles.models import when_said
from articles.web.cache_guard import cache_call

EDIT_BASE = "edit_base"  # the hidden form field holding the state the form was opened on
# Set on a record a form shows with values other than its stored ones (a restore from history fills in an
# earlier text): the record as stored, whose state the form remembers.
STORED_RECORD = "stored_record"
RECENTLY = timedelta(minutes=10)


def stored_values(record: Model, names: Iterable[str]) -> dict[str, Any]:
    """The stored values of the model fields in `names` (a form's fields): what a save of that form writes.
    Fields derived on save (rendered HTML, reading grades) are not among them, so re-rendering a page after a
    glossary or block change does not count as someone editing it."""
    concrete = {field.name: field for field in record._meta.concrete_fields}
    return {name: concrete[name].value_from_object(record) for name in names if name in concrete}


def record_state(record: Model, names: Iterable[str]) -> str:
    return fingerprint(stored_values(record, names))


@dataclass(frozen=True)
class LastChange:
    who: str
    when: datetime | None


def last_change(record: Model) -> LastChange:
    """Who saved `record` last, and when, from its history (a load from files has no user)."""
    if not reversion.is_registered(type(record)):  # proposed changes: the admin's own log of saves
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if entry is None:
            return LastChange("someone", getattr(record, "updated", None))
        return LastChange(entry.user.get_username(), entry.action_time)
    version = Version.objects.get_for_object(record).select_related("revision__user").first()
    if version is None:
        return LastChange("someone", None)
    user = version.revision.user
    return LastChange(user.get_username() if user else "a content load", version.revision.date_created)


def conflict_message(record: Model, yours: dict[str, Any], labels: dict[str, str]) -> SafeString:
    """The refusal: who changed the record since the form was opened, and how their version (now saved)
    differs from yours, field by field."""
    change = last_change(record)
    when = when_said(change.when) if change.when else "meanwhile"
    theirs = stored_values(record, yours)
    changes = changed_fields(theirs, yours, {name: labels.get(name, name) for name in theirs})
    comparison = format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((c.label, c.diff) for c in changes))
    return format_html(
        "Not saved: {} changed this record on {}, after you opened it. Your text is still in the form. "
        "Below, <del>struck out</del> is their saved version and <ins>underlined</ins> is yours: copy what "
        "you need, then save again.<dl class='edit-conflict'>{}</dl>",
        change.who,
        when,
        comparison,
    )


def same_text(initial: Any, data: Any) -> bool:
    """Whether a text field's posted value is its initial one but for line ends and blank ends."""
    return isinstance(initial, str) and isinstance(data, str) and comparable(initial) == comparable(data)


def with_edit_base(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`form_class` that carries the state its record was opened on and refuses a save over a newer one."""

    class EditBaseForm(form_class):  # type: ignore[misc,valid-type]
        edit_base = forms.CharField(widget=forms.HiddenInput, required=False)

        def get_initial_for_field(self, field: forms.Field, field_name: str) -> Any:
            # Taken when the form is shown, not when it is made: an inline formset adds fields after that.
            if field_name == EDIT_BASE and self.instance.pk is not None and not self.is_bound:
                return record_state(getattr(self.instance, STORED_RECORD, self.instance), self.fields)
            return super().get_initial_for_field(field, field_name)

        @cached_property
        def changed_data(self) -> list[str]:
            # Text that differs only in line ends or blank ends is not a change: browsers send CRLF, and
            # History would otherwise say "Changed Body" for a save that changed no word. Nor is the state
            # the form was opened on.
            return [
                name
                for name in super().changed_data
                if name != EDIT_BASE and not same_text(self[name].initial, self[name].data)
            ]

        def state_now(self) -> str:
            return record_state(self.instance, self.fields)

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean() or self.cleaned_data
            base = cleaned.get(EDIT_BASE)
            # Before _post_clean, the instance still holds the record as the database has it now.
            if self.instance.pk is not None and base and base != (now := self.state_now()):
                labels = {name: str(field.label or name) for name, field in self.fields.items()}
                yours = {name: value for name, value in cleaned.items() if name != EDIT_BASE}
                message = conflict_message(self.instance, yours, labels)
                # The form shown again starts from the record as it is now, so that saving it after
                # reading the comparison goes through (unless someone saves again meanwhile).
                self.data = self.data.copy()
                self.data[self.add_prefix(EDIT_BASE)] = now
                raise forms.ValidationError(message, code="edit_conflict")
            return cleaned

    EditBaseForm.__name__ = form_class.__name__
    return EditBaseForm


def note_who_else_opened(request: HttpRequest, record: Model) -> None:
    """Tell the editor who else opened `record` in the last few minutes, and remember that they did."""
    key = f"editing:{record._meta.label_lower}:{record.pk}"
    now = timezone.now()
    # A note for people, not a lock: when the cache cannot be reached the form opens without it.
    stored = cache_call("read who opened a record", lambda: cache.get(key), None) or {}
    opened: dict[str, str] = {
        who: when for who, when in stored.items() if now - datetime.fromisoformat(when) < RECENTLY
    }
    me = request.user.get_username()
    others = sorted(who for who in opened if who != me)
    if others:
        messages.warning(
            request,
            f"{', '.join(others)} also opened this record in the last {RECENTLY.seconds // 60} minutes. "
            "If you both save, the second save will be refused and shown against the first.",
        )
    opened[me] = now.isoformat()
    cache_call(
        "note who opened a record",
        lambda: cache.set(key, opened, timeout=int(RECENTLY.total_seconds())),
        None,
    )


class EditConflictAdmin:
    """A ModelAdmin mixin: change forms refuse to overwrite a change saved since they were opened, and say who
    else has the record open."""

    class Media:
        # How a refused save's comparison (and a proposed change's) is marked up.
        css = {"all": ["css/admin-comparison.css"]}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form = with_edit_base(self.form)  # type: ignore[has-type]

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        named = {name for _, options in fieldsets for name in options.get("fields", ())}
        if EDIT_BASE in named:
            return fieldsets
        return [*fieldsets, (None, {"fields": [EDIT_BASE], "classes": ["hidden"]})]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Model | None:
        record = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        using = record._state.db if record is not None else None
        if (
            record is not None
            and request.method == "POST"
            and transaction.get_connection(using).in_atomic_block
        ):
            # Held until the save commits: a second save waits, then sees the first and is refused.
            record = type(record)._default_manager.select_for_update().get(pk=record.pk)
        return record

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Model | None = None,
    ) -> HttpResponse:
        # Here, after the permission checks: only people who may change the record are noted or told.
        if change and obj is not None and request.method == "GET":
            if self.has_change_permission(request, obj):  # type: ignore[attr-defined]
                note_who_else_opened(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]


class EditConflictInline:
    """An InlineModelAdmin mixin: each saved row of the inline (a page's clinical reviews) refuses a save over
    a change made to that row since the form was opened, as the record's own form does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form = with_edit_base(self.form)  # type: ignore[has-type]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = list(super().get_fields(request, obj))  # type: ignore[misc]
        return fields if EDIT_BASE in fields else [*fields, EDIT_BASE]
