"""The review's record (ReviewStep): who submitted a page, FAQ answer or proposed change, who published it or
sent it back, when, and the reviewer's comment. Plain functions over the records that go through review (each
has a `review_steps` relation)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from articles.models import ProposedChange, ReviewStep

Action = ReviewStep.Action


def record_step(
    record: Model, action: str, *, user: AbstractBaseUser | AnonymousUser | None, comment: str = ""
) -> ReviewStep:
    return ReviewStep.objects.create(
        record=record,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        comment=comment.strip(),
    )


def submitted_from_file(record: Model, *, source_path: str) -> ReviewStep:
    """The submission of proposed changes a load made from a file (`loadcontent --prefer file`): nobody
    submitted them in the admin, so the step has no user and says which file they came from."""
    return record_step(
        record, Action.SUBMITTED, user=None, comment=f"From {source_path} (loadcontent --prefer file)"
    )


def steps_of(record: Model) -> list[ReviewStep]:
    """Newest first (prefetched by lists that show many records)."""
    return list(record.review_steps.all())  # type: ignore[attr-defined]


def open_send_back(record: Model) -> ReviewStep | None:
    """The reviewer's send-back, while the record has not been submitted again since: its comment is what the
    editor has to act on."""
    steps = steps_of(record)
    return steps[0] if steps and steps[0].action == Action.SENT_BACK else None


def author_of(record: Model) -> AbstractBaseUser | None:
    """Whom to tell of a review's outcome: who proposed the changes, or who last submitted the page or answer
    for review (None when nobody did in the admin: a content load, say)."""
    if isinstance(record, ProposedChange):
        return record.proposed_by
    submitted = next((step for step in steps_of(record) if step.action == Action.SUBMITTED), None)
    return submitted.user if submitted is not None else None
