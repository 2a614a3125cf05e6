"""History in the admin: compare any two versions of a record, and restore an earlier version's text.

django-reversion's own restore reverts the whole revision the version belongs to (a `loadcontent` run saves
every record it changed in one revision, so restoring one page would rewind others), deletes related records
that revision did not hold (a page's clinical reviews) and brings back the old workflow state and change log.
Here a restore is an ordinary edit: the change form of the record as it is now, with the earlier version's
text filled in, a comparison of what saving will change above it, and the same rules as any save (the
permission checks, status choices, and the no-lost-update check, which compares against the record as it was
when the restore form was opened). What `KEPT_ON_RESTORE` names stays as it is now.
"""

from dataclasses import dataclass
from typing import Any

import reversion
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.editorial.admin_urls import admin_url
from articles.editorial.comparisons import FieldChange, changed_fields, comparison_page, field_labels
from articles.editorial.edit_conflicts import STORED_RECORD
from articles.models import KEPT_ON_RESTORE, when_said


def compared_fields(model: type[Model]) -> list[str]:
    """The fields an editor writes, in the model's order: what History compares (not the derived HTML, search
    text or reading grades, which follow from them)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name != "loaded_fingerprint"
    ]


def restored_fields(model: type[Model]) -> list[str]:
    """What a restore brings back: the text, not the record's key (pages link to it) nor `KEPT_ON_RESTORE`."""
    key = getattr(model, "KEY_FIELD", None)
    return [name for name in compared_fields(model) if name not in KEPT_ON_RESTORE and name != key]


def version_values(version: Version, names: list[str]) -> dict[str, Any]:
    """A version's stored values of `names`, as the model holds them (a field added since: missing)."""
    record = version._object_version.object
    stored = version.field_dict
    return {name: getattr(record, name) for name in names if name in stored}


def when(version: Version) -> str:
    return when_said(version.revision.date_created)


def saved_by(version: Version) -> str:
    user = version.revision.user
    return user.get_username() if user else "a content load"


class _ShowWithoutSaving(Exception):
    """Raised to roll back the record a recover form was rendered from."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


@dataclass(frozen=True)
class Restoring:
    """The version a restore form brings back (set on the request while the restore view runs)."""

    version: Version
    values: dict[str, Any]


class HistoryAdmin:
    """A VersionAdmin mixin: History lists versions with a form to compare any two, and restoring a version
    goes through the record's ordinary change form (see the module's docstring)."""

    object_history_template = "admin/history/object_history.html"
    restore_form_template = "admin/history/restore_form.html"

    def get_urls(self) -> list:
        opts = self.model._meta  # type: ignore[attr-defined]
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),  # type: ignore[attr-defined]
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]  # type: ignore[misc]

    def versions_of(self, record: Model):  # noqa: ANN201 - a Version queryset
        return Version.objects.get_for_object(record).select_related("revision__user")

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> Any:
        record = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if record is None:
            raise Http404
        site = self.admin_site.name  # type: ignore[attr-defined]
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "saved_by": saved_by(version),
                "url": admin_url(record, "revision", record.pk, version.pk, site=site),
            }
            for version in self.versions_of(record)
        ]
        context = {"action_list": action_list, **(extra_context or {})}
        return super().history_view(request, object_id, context)  # type: ignore[misc]

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two versions of the record side by side, word by word: `?older=<id>&newer=<id>` (the History
        form), the older one struck out where it differs."""
        record = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if record is None:
            raise Http404
        if not self.has_view_or_change_permission(request, record):  # type: ignore[attr-defined]
            raise PermissionDenied
        versions = self.versions_of(record)
        chosen = [request.GET.get(name, "") for name in ("older", "newer")]
        if not all(value.isdigit() for value in chosen):
            raise Http404("Choose two versions in History to compare.")
        older, newer = (get_object_or_404(versions, pk=int(value)) for value in chosen)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        names = compared_fields(type(record))
        labels = field_labels(type(record), names)
        changes = changed_fields(version_values(older, names), version_values(newer, names), labels)
        return comparison_page(
            request,
            self.admin_site.each_context(request),  # type: ignore[attr-defined]
            record,
            title=f"Compare two versions of “{record}”",
            labels=(
                f"the version saved on {when(older)} by {saved_by(older)}",
                f"the one saved on {when(newer)} by {saved_by(newer)}",
            ),
            changes=changes,
            nothing="The two versions hold the same text.",
            from_history=True,
        )

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        record = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if record is None:
            raise Http404
        version = get_object_or_404(self.versions_of(record), pk=version_id)
        model = type(record)
        names = restored_fields(model)
        restoring = Restoring(version, version_values(version, names))
        request.restoring = restoring  # type: ignore[attr-defined]
        changes: list[FieldChange] = changed_fields(
            {name: getattr(record, name) for name in names}, restoring.values, field_labels(model, names)
        )
        context = {
            "title": f"Restore “{record}” as it was on {when(version)}",
            "restore_when": when(version),
            "restore_who": saved_by(version),
            "restore_changes": changes,
            **(extra_context or {}),
        }
        with self.create_revision(request):  # type: ignore[attr-defined]
            response = self.changeform_view(request, object_id, request.path, context)  # type: ignore[attr-defined]
            if request.method == "POST" and response.status_code == 302:
                reversion.set_comment(f"Restored the text of the version saved on {when(version)}")
        if isinstance(response, TemplateResponse) and not response.is_rendered:
            response.template_name = self.restore_form_template
        return response

    def recover_view(self, request: HttpRequest, version_id: str, extra_context: dict | None = None) -> Any:
        """Bring back a deleted record from its last version: only that record, not the rest of the revision
        it was saved in (django-reversion's own view reverts the whole revision). Opened, it shows the form
        and saves nothing; saved, the record is back."""
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)  # type: ignore[attr-defined]
        context = {"title": f"Recover “{version.object_repr}”", **(extra_context or {})}
        try:
            with transaction.atomic(using=version.db):
                version.revert()
                with self.create_revision(request):  # type: ignore[attr-defined]
                    response = self.changeform_view(  # type: ignore[attr-defined]
                        request, quote(version.object_id), request.path, context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        reversion.set_comment(f"Recovered as it was saved on {when(version)}")
                        return response
                    if isinstance(response, TemplateResponse):
                        response.template_name = self._reversion_get_template_list("recover_form.html")  # type: ignore[attr-defined]
                    response.render()
                    raise _ShowWithoutSaving(response)
        except _ShowWithoutSaving as shown:
            return shown.response

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Model | None:
        record = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        restoring: Restoring | None = getattr(request, "restoring", None)
        if record is not None and restoring is not None and request.method == "GET":
            # The form opens on the record as it is now (its no-lost-update state is taken from the database),
            # with the earlier text filled in; nothing is saved until the editor saves.
            setattr(record, STORED_RECORD, type(record)._default_manager.get(pk=record.pk))
            for name, value in restoring.values.items():
                setattr(record, name, value)
        return record

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        restoring: Restoring | None = getattr(request, "restoring", None)
        if restoring is not None and hasattr(obj, "changes") and form.has_changed():
            # A restore is a change readers should be able to see in the page's public change log.
            entry = {
                "date": timezone.localdate().isoformat(),
                "summary": "Went back to the text of "
                f"{timezone.localtime(restoring.version.revision.date_created):%d %B %Y}.",
            }
            obj.changes = [entry, *obj.changes]
        super().save_model(request, obj, form, change)  # type: ignore[misc]


class HistoryVersionAdmin(HistoryAdmin, VersionAdmin):
    """What every content admin with history uses in place of django-reversion's VersionAdmin."""
