"""A file's text over a live, reviewed record: proposed changes for a Clinical reviewer, not live text.

When `loadcontent --prefer file` settles a conflict over a record readers see (a published page or FAQ
answer; a kind without a status is always seen), the admin version may be a reviewed, published change. The
file's text then goes in as proposed changes of that record's kind (the ProposedChange whose live model it
is), in review, and the live record stays as it is until a Clinical reviewer publishes them.

Over a record readers do not see (a draft, or a page in review, perhaps one a reviewer took down), the file's
text goes in at once but the admin's status stays, whatever the file says (`status_kept`): publishing is a
Clinical reviewer's step, so a load over an admin edit never makes a record live. Only `--force-live` puts the
file in whole (its text live at once, its status as it says). A kind with no proposed changes (FAQ categories,
decision aid options: no status, always live) takes the file's text at once, as a save in the admin would.

Proposed changes revise only some fields (REVISED_FIELDS: the text). Where the file differs in others (order,
status, review dates, change log), the live values stay: those are the reviewer's to set, and the load names
them so that an editor can change them in the admin if the file is right.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from articles.content_files.entries import Entry
from articles.fingerprints import fingerprint
from articles.models import LoadedFromFile, ProposedChange, RevisionStatus

# Proposed changes still waiting: not yet published (one sent back is still being worked on).
PENDING = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.SENT_BACK)


def needs_review(record: LoadedFromFile) -> bool:
    """Whether a file's text over this record goes in as proposed changes rather than live. (A record not
    live takes the file's text with its own status kept, so the file cannot make it live: `status_kept`.)"""
    return ProposedChange.is_live(record) and ProposedChange.model_for(type(record)) is not None


def status_kept(record: LoadedFromFile) -> str | None:
    """The admin's status of a record readers do not see, which the file's text put in over it leaves as it is
    (None for a live record, or a kind without a status)."""
    return None if ProposedChange.is_live(record) else getattr(record, "status", None)


@dataclass(frozen=True)
class FileProposal:
    """What a load did with a file's text over a live record."""

    entry: Entry
    source_path: str  # the file, as content/<path>
    change: ProposedChange | None  # None when the file's text is the live text already
    made: bool  # False when the same proposed changes were waiting already
    kept_live: list[str]  # fields the file sets differently that proposed changes do not revise


def proposed_values(entry: Entry, record: LoadedFromFile, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: entry.values.get(name, getattr(record, name)) for name in fields}


def fields_kept_live(entry: Entry, record: LoadedFromFile, revised: tuple[str, ...]) -> list[str]:
    live = record.content_values()
    return [
        name
        for name in record.CONTENT_FIELDS
        if name not in revised
        and name in entry.values
        # Compared as the fingerprint compares them (a date and its ISO text alike).
        and fingerprint({name: entry.values[name]}) != fingerprint({name: live[name]})
    ]


def pending_proposal(entry: Entry, record: LoadedFromFile) -> ProposedChange | None:
    """Proposed changes to `record`, still waiting, whose text is the file's (as a load with --prefer file
    made them)."""
    change_model = ProposedChange.model_for(type(record))
    if change_model is None:
        return None
    text = change_model.text_fingerprint(
        type(record)(**proposed_values(entry, record, change_model.REVISED_FIELDS))
    )
    waiting = change_model.objects.filter(**{change_model.LIVE_FIELD: record.pk}, status__in=PENDING)
    return next((change for change in waiting if change_model.text_fingerprint(change) == text), None)


def change_note(source_path: str, today: date) -> str:
    limit = ProposedChange._meta.get_field("change_note").max_length or 200
    return f"From {source_path} (loadcontent --prefer file, {today.isoformat()})"[:limit]


def propose_file_text(entry: Entry, record: LoadedFromFile, *, source_path: str, today: date) -> FileProposal:
    """Put the file's text in as proposed changes to `record`, in review; the record is not changed.

    Raises ValidationError if the proposed changes do not pass their own checks.
    """
    change_model = ProposedChange.model_for(type(record))
    assert change_model is not None
    revised = change_model.REVISED_FIELDS
    kept = fields_kept_live(entry, record, revised)
    values = proposed_values(entry, record, revised)
    live_text = change_model.text_fingerprint(record)
    if change_model.text_fingerprint(type(record)(**values)) == live_text:
        return FileProposal(entry, source_path, None, made=False, kept_live=kept)
    if waiting := pending_proposal(entry, record):
        return FileProposal(entry, source_path, waiting, made=False, kept_live=kept)
    change = change_model(
        **{change_model.LIVE_FIELD: record},
        **values,
        status=RevisionStatus.IN_REVIEW,
        change_note=change_note(source_path, today),
        based_on=live_text,
        proposed_by=None,
    )
    change.full_clean()
    change.save()
    return FileProposal(entry, source_path, change, made=True, kept_live=kept)
