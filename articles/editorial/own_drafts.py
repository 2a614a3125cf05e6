"""Editors delete their own drafts, and nothing else of the workflow's.

A page or FAQ answer may be deleted by the person who added it in the admin while it is a draft that was never
submitted or published: nobody else has read it. A record loaded from a content file has no such person (the
file keeps it), so it is deleted through its file. Changes proposed to a live record may be deleted by their
author while still a draft; a Clinical reviewer deletes proposed changes as before. Superusers keep Django's
own rules.

The rule is asked for each record by the delete view and, through Django's check of every selected record,
by the list's "Delete selected" action.
"""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest
from reversion.models import Version

from articles.models import ProposedChange, RevisionStatus, Status


def never_left_draft(record: Model) -> bool:
    """Whether `record` is a draft and its history has no other status: never submitted, never published
    (every save, list action and load leaves a version)."""
    if record.status != Status.DRAFT:  # type: ignore[attr-defined]
        return False
    return all(
        version.field_dict.get("status", Status.DRAFT) == Status.DRAFT
        for version in Version.objects.get_for_object(record)
    )


def is_own_unsubmitted_draft(record: Model, user: AbstractBaseUser | AnonymousUser) -> bool:
    created_by = getattr(record, "created_by_id", None)
    return created_by is not None and created_by == user.pk and never_left_draft(record)


class OwnDraftsAdmin:
    """For the admin of pages and FAQ answers: remembers who added a record, and lets them, and only them,
    delete it while it is an unsubmitted draft."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed: bool = super().has_delete_permission(request, obj)  # type: ignore[misc]
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return is_own_unsubmitted_draft(obj, request.user)


class OwnProposedChangesAdmin:
    """For the admin of proposed changes: an Editor deletes only their own, and only while still a draft
    (submitted changes are what a reviewer is reading). Users who may publish them delete any."""

    def has_delete_permission(self, request: HttpRequest, obj: ProposedChange | None = None) -> bool:
        allowed: bool = super().has_delete_permission(request, obj)  # type: ignore[misc]
        if not allowed or obj is None or self.has_publish_permission(request):  # type: ignore[attr-defined]
            return allowed
        # Still being written (or reworked after being sent back): the author's to throw away.
        editable = (RevisionStatus.DRAFT, RevisionStatus.SENT_BACK)
        return obj.status in editable and obj.proposed_by_id == request.user.pk
