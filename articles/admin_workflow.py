"""draft -> in review -> published, enforced in the admin for every route an editor could take.

An Editor may write and submit for review; only a user with the model's publish permission (the Clinical
reviewer group) may set "published". The rule is applied where every admin route passes: the status field's
choices (the change form, and django-reversion's revert and recover views, which reuse it), the list actions,
and the change permission on a published record (an Editor sees it read-only: editing live text would be
publishing it).
"""

import reversion
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import Field
from django.http import HttpRequest

from articles.models import Status


class PublishingAdmin:
    publish_permission: str  # e.g. "articles.publish_article"
    actions = ["submit_for_review", "publish"]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.publish_permission)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is not None and obj.status == Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is not None and obj.status == Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_choice_field(
        self, db_field: models.Field, request: HttpRequest, **kwargs: object
    ) -> Field:
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [(s.value, s.label) for s in (Status.DRAFT, Status.IN_REVIEW)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.action(description="Submit selected for clinical review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = move_to(
            queryset.filter(status=Status.DRAFT), Status.IN_REVIEW, request, "Submitted for review"
        )
        self.message_user(request, f"{changed} submitted for review.", messages.SUCCESS)

    @admin.action(description="Publish selected", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = move_to(queryset.exclude(status=Status.PUBLISHED), Status.PUBLISHED, request, "Published")
        self.message_user(request, f"{changed} published.", messages.SUCCESS)


def move_to(queryset: QuerySet, status: str, request: HttpRequest, comment: str) -> int:
    # save() per record, not update(): history records each change under the user's name.
    records = list(queryset)
    with reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(f"{comment} (list action)")
        for record in records:
            record.status = status
            record.save()
    return len(records)
