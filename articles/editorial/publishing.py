"""Publishing changes proposed to a live record (ProposedChange): the one place they reach it.

The live record is served as it is until then. Publishing is refused, with the reason, when its text changed
since the changes were started (a file was loaded, other changes were published), or when the changes no
longer pass its checks (articles.editorial.change_checks): either way nothing is written, and the proposed
changes stay for an editor to bring up to date. What a save of the record changes elsewhere (pages that link a
glossary term or show a shared block) follows, as after a save in the admin. Published changes stay too,
marked published, with who published them and when.
"""

from datetime import date

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from reversion.models import Version

from articles.editorial.change_checks import change_problems
from articles.editorial.review_steps import record_step
from articles.models import LoadedFromFile, ProposedChange, ReviewStep, RevisionStatus
from articles.rerendering import rerender_after_changing


class CannotPublish(Exception):
    """Why proposed changes were not published; the message is written for the reviewer."""


def publish_changes(change: ProposedChange, *, user: AbstractBaseUser, today: date) -> LoadedFromFile:
    # Inside another revision block, the two history entries made here would merge into one.
    assert not reversion.is_active(), "publish_changes makes its own history entries"
    with transaction.atomic():
        live = change.live_model().objects.select_for_update().get(pk=change.live_id)
        if change.text_fingerprint(live) != change.based_on:
            raise CannotPublish(
                f"{change}: the live text has changed since these changes were started, so publishing "
                "them would undo that change. Nothing was published. An editor can start new proposed "
                "changes from the live text and copy these across."
            )
        problems = change_problems(change, live)
        if problems:
            raise CannotPublish(f"{change}: {' '.join(problems)} Nothing was published.")
        keep_live_text_in_history(live, change.REVISED_FIELDS)
        change.applied_to(live)
        if hasattr(live, "changes"):  # a page's public change log ("What changed")
            live.changes = [{"date": today.isoformat(), "summary": change.change_note}, *live.changes]
        with reversion.create_revision():
            reversion.set_user(user)
            author = (
                change.proposed_by.get_username()
                if change.proposed_by
                else "a content file load (or a former user)"
            )
            reversion.set_comment(f"Published changes proposed by {author}: {change.change_note}")
            live.save()
        rerender_after_changing(type(live), {live.content_key})
        # Kept, marked published and read-only: the record of what was published, by whom and when.
        change.status = RevisionStatus.PUBLISHED
        change.save(update_fields=["status", "updated"])
        record_step(change, ReviewStep.Action.PUBLISHED, user=user)
    return live


def keep_live_text_in_history(live: LoadedFromFile, fields: tuple[str, ...]) -> None:
    """Make sure the record's history holds the text about to be replaced (a record written straight into the
    database, not through a save, may have no history yet)."""
    latest = Version.objects.get_for_object(live).first()
    if latest is not None and all(latest.field_dict.get(name) == getattr(live, name) for name in fields):
        return
    with reversion.create_revision():
        reversion.set_comment("Live text, before proposed changes were published")
        reversion.add_to_revision(live)
