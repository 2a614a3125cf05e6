"""Writing checked content into the database without losing anyone's work.

For each record a file describes, the loader compares three fingerprints: the record as it was last loaded
(stored on the record), the record now, and the file now. From them:

    file == record now                      -> unchanged (nothing written)
    record untouched since load, file new   -> updated from the file
    file untouched since load, record new   -> kept: the admin edit stays, the file is not applied
    both changed since load, and differ     -> conflict: reported, nothing written at all

A record made in the admin that a new file also describes has no load fingerprint; it counts as an admin edit,
so it is kept unless the file says exactly the same.

With `prefer`, the editor settles this run's conflicts. "admin" keeps the admin version (the file's stays in
git). "file" applies the file and first saves the admin version in the record's history, except over a record
readers see that has a review step (a published page or FAQ answer: articles.content_files.proposals): there
the file's text goes in as proposed changes in review and the live record stays as it is. Over a record
readers do not see, the file's text goes in but the admin's status stays: a load over an admin edit never
publishes. `force_live` applies the whole file at once.

Either way the file version counts as seen: the record's load fingerprint becomes the file's, so later loads
report the record as kept (the admin version, or the live text while the file's waits for review) instead of
in conflict, and never propose the same file text again. Every write a load makes is recorded in history with
a comment saying so.
"""

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.content_files.entries import ContentError, ContentSet, Entry, StoredLinks
from articles.content_files.front_matter import relation_fields
from articles.content_files.proposals import FileProposal, needs_review, propose_file_text, status_kept
from articles.fingerprints import fingerprint, same_values
from articles.models import GlossaryTerm, LoadedFromFile, ProposedChange, Reference, RenderedBody, SharedBlock
from articles.registry import kind_of
from articles.rendering.bodies import BodyJob, render_stored_bodies
from articles.rendering.input_limits import BodyTooComplex
from articles.rerendering import body_models, rerender_bodies
from articles.signals import rolled_back_changes

# Rows per INSERT when pages are created in bulk.
BULK_BATCH_SIZE = 500


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"  # admin edit kept; the file was not applied
    PROPOSED = "proposed"  # the file's text went in as proposed changes in review; the live record is kept
    CONFLICT = "conflict"


class Prefer(StrEnum):
    FILE = "file"
    ADMIN = "admin"


LOAD_COMMENT = "Loaded from content/ by loadcontent"


@dataclass(frozen=True)
class Decision:
    entry: Entry
    outcome: Outcome
    record: LoadedFromFile | None
    resolved: Prefer | None = None  # set when this was a conflict the editor settled with --prefer
    record_fingerprint: str | None = None  # the record's content as the load found it
    # Settled conflicts, as the load found the record (it is changed in place when written): whether readers
    # saw it, and the admin's status, kept over the file's (a load over an admin edit does not publish).
    was_live: bool = False
    kept_status: str | None = None


@dataclass
class SyncReport:
    decisions: list[Decision] = field(default_factory=list)
    written: bool = False  # whether any record was written from its file
    proposals: list[FileProposal] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for decision in self.decisions if decision.outcome is outcome)

    def counts_by_kind(self) -> dict[str, Counter[Outcome]]:
        kinds: dict[str, Counter[Outcome]] = {}
        for decision in self.decisions:
            kinds.setdefault(str(decision.entry.model._meta.verbose_name_plural), Counter())[
                decision.outcome
            ] += 1
        return kinds

    def of(self, outcome: Outcome) -> list[Decision]:
        return [decision for decision in self.decisions if decision.outcome is outcome]


class ContentConflict(Exception):
    def __init__(self, report: SyncReport) -> None:
        super().__init__(f"{report.count(Outcome.CONFLICT)} conflict(s)")
        self.report = report


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in content files")
        self.errors = errors


def decide(entry: Entry, record: LoadedFromFile | None, now: str | None) -> Outcome:
    """`now` is the record's fingerprint (None when there is no record)."""
    if record is None or now is None:
        return Outcome.CREATED
    from_file = entry.fingerprint
    if from_file == now:
        return Outcome.UNCHANGED
    admin_edited = now != record.loaded_fingerprint
    file_edited = from_file != record.loaded_fingerprint
    if admin_edited and file_edited:
        return Outcome.CONFLICT
    return Outcome.KEPT if admin_edited else Outcome.UPDATED


def plan(content: ContentSet) -> SyncReport:
    report = SyncReport()
    for model in dict.fromkeys(entry.model for entry in content.entries):
        entries = content.of(model)
        keys = [entry.key for entry in entries]
        # Deciding reads only what a file sets and the load fingerprint. The rest of a row (a page's stored
        # HTML and search text: most of its size) is fetched only for the records this load may write.
        # A file names a related record by its key (an answer's category by its slug): read in the same query.
        related = relation_fields(model)
        deciding = model.objects.only(
            model.KEY_FIELD,
            "loaded_fingerprint",
            *model.CONTENT_FIELDS,
            *(f"{f.name}__{f.related_model.KEY_FIELD}" for f in related),
        )
        if related:
            deciding = deciding.select_related(*(f.name for f in related))
        records = deciding.in_bulk(keys, field_name=model.KEY_FIELD)
        decisions = []
        for entry in entries:
            record = records.get(entry.key)
            now = record_fingerprint(record, entry) if record else None
            decisions.append(Decision(entry, decide(entry, record, now), record, record_fingerprint=now))
        writing = [d.entry.key for d in decisions if d.outcome in (Outcome.UPDATED, Outcome.CONFLICT)]
        # Locked until the load commits: an admin save or a publish meanwhile waits, then sees the load's
        # version (a publish of changes started before it is then refused) instead of being overwritten.
        locked = model.objects.select_for_update()
        whole = locked.in_bulk(writing, field_name=model.KEY_FIELD) if writing else {}
        report.decisions += [
            decide_again(d, whole[d.entry.key]) if d.entry.key in whole else d for d in decisions
        ]
    return report


def record_fingerprint(record: LoadedFromFile, entry: Entry) -> str:
    """The record's fingerprint now: its file's, made where the file was read, when the record holds the very
    same values (as an unchanged record does); otherwise made from the record."""
    values = record.content_values()
    return entry.fingerprint if same_values(values, entry.values) else fingerprint(values)


def decide_again(decision: Decision, record: LoadedFromFile) -> Decision:
    """The decision for the record as locked: decided again if it changed since it was first read."""
    now = record.fingerprint()
    outcome = decision.outcome if now == decision.record_fingerprint else decide(decision.entry, record, now)
    return replace(decision, record=record, outcome=outcome, record_fingerprint=now)


def source_path_of(entry: Entry, source_root: Path) -> str:
    return str(entry.path.relative_to(source_root.parent) if entry.path.is_absolute() else entry.path)


def applied_record(decision: Decision, source_root: Path) -> LoadedFromFile:
    """The decision's record (a new one when created) with its file applied and checked; not yet saved."""
    entry = decision.entry
    record = decision.record
    if decision.outcome is Outcome.CREATED:
        record = entry.model(**{entry.model.KEY_FIELD: entry.key})
    assert record is not None
    record.apply_content(entry.values)
    if decision.kept_status is not None:
        record.status = decision.kept_status
    record.source_path = source_path_of(entry, source_root)
    record.loaded_fingerprint = entry.fingerprint
    try:
        record.full_clean(exclude=[entry.model.KEY_FIELD] if decision.outcome is Outcome.UPDATED else None)
    except ValidationError as error:
        # The files' checks should have said this already; if not, it is still said naming the file.
        raise ContentInvalid(
            [
                ContentError(entry.path, f"{name}: {message}" if name != "__all__" else message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None
    return record


def note_in_step(decision: Decision) -> None:
    """Bookkeeping for a record whose file is not applied: remember which file version has been seen."""
    record = decision.record
    assert record is not None
    now = decision.record_fingerprint
    if decision.outcome is Outcome.UNCHANGED and record.loaded_fingerprint != now:
        # File and record agree but were changed the same way on both sides: note that they are in step.
        type(record).objects.filter(pk=record.pk).update(loaded_fingerprint=now)
    if decision.resolved is Prefer.ADMIN or decision.outcome is Outcome.PROPOSED:
        # The admin side won, or the file's text waits for review: this file version has been seen, so the
        # next load reports "kept" rather than the same conflict again (and proposes nothing again).
        type(record).objects.filter(pk=record.pk).update(loaded_fingerprint=decision.entry.fingerprint)


def applies_file(decision: Decision) -> bool:
    return decision.outcome in (Outcome.CREATED, Outcome.UPDATED)


def write(decision: Decision, source_root: Path) -> None:
    if applies_file(decision):
        applied_record(decision, source_root).save()
    else:
        note_in_step(decision)


def write_bodies(decisions: list[Decision], content: ContentSet, source_root: Path) -> None:
    """Write pages and FAQ answers: every body to store is rendered first, all at once (across processes when
    there are many, reusing the rendering made to check its links), and new records are inserted in bulk.

    Runs after the references and the glossary are written: bodies are rendered with them as they now are.
    """
    applying = [d for d in decisions if applies_file(d)]
    blocks = SharedBlock.sources()
    # The renderings made to check links used the files' shared blocks; where the database keeps an admin
    # edit of a block instead, the bodies are rendered again with the block as it is in the database.
    reuse = blocks == content.block_sources()
    jobs = []
    for decision in applying:
        entry = decision.entry
        assert entry.body_field is not None
        jobs.append(
            BodyJob(
                entry.values[entry.body_field],
                entry.anchor_prefix,
                rendered=content.rendered.get((entry.model, entry.key)) if reuse else None,
            )
        )
    renderings = render_stored_bodies(
        jobs,
        known_keys=Reference.known_keys(),
        matchers=GlossaryTerm.matchers(),
        blocks=blocks,
        parallel=True,
    )
    created: dict[type[LoadedFromFile], list[LoadedFromFile]] = {}
    refused = [
        ContentError(decision.entry.path, problem.message, line=decision.entry.file_line(problem.line))
        for decision, rendering in zip(applying, renderings, strict=True)
        if isinstance(rendering, BodyTooComplex)
        for problem in rendering.problems
    ]
    if refused:  # checked as the files were read; only a render cut off by time can land here
        raise ContentInvalid(refused)
    for decision, rendering in zip(applying, renderings, strict=True):
        assert not isinstance(rendering, BodyTooComplex)
        record = applied_record(decision, source_root)
        assert isinstance(record, RenderedBody)
        record.prepared_rendering = rendering
        if decision.outcome is Outcome.UPDATED:
            record.save()
        else:
            # What save() would do before inserting: bulk_create does not call save().
            record.render_stored_fields()
            created.setdefault(type(record), []).append(record)
    for model, records in created.items():
        model.objects.bulk_create(records, batch_size=BULK_BATCH_SIZE)
        # bulk_create sends no post_save signal, so the revision is told about each new record here.
        for record in records:
            reversion.add_to_revision(record)
    for decision in decisions:
        if not applies_file(decision):
            note_in_step(decision)


def stored_links() -> StoredLinks:
    """For read_content: the site links stored for each page and answer whose body is exactly the file's.

    An unchanged body then needs no rendering for its links to be checked: the links derived from its stored
    HTML (rendered from that same body on its last save) are the same, and reading them is far cheaper than
    reading the HTML.
    """
    stored: dict[tuple[type[LoadedFromFile], str], tuple[str, list[str] | None]] = {}
    for model in body_models():
        rows = model.objects.values_list(model.KEY_FIELD, model.SOURCE_FIELD, "site_links")
        for key, source, links in rows.iterator(chunk_size=2000):
            stored[model, key] = (source, links)

    def lookup(entry: Entry) -> list[str] | None:
        found = stored.get((entry.model, entry.key))
        if found is None or entry.body_field is None or found[0] != entry.values[entry.body_field]:
            return None
        return found[1]

    return lookup


def settle(decision: Decision, prefer: Prefer, *, force_live: bool = False) -> Decision:
    record = decision.record
    assert record is not None  # a conflict is about a record that exists
    kept_status = None
    if prefer is Prefer.ADMIN:
        outcome = Outcome.KEPT
    elif force_live:
        outcome = Outcome.UPDATED
    elif needs_review(record):
        outcome = Outcome.PROPOSED
    else:
        outcome = Outcome.UPDATED
        kept_status = status_kept(record)
    return replace(
        decision,
        outcome=outcome,
        resolved=prefer,
        was_live=ProposedChange.is_live(record),
        kept_status=kept_status,
    )


def propose(decision: Decision, source_root: Path, today: date) -> FileProposal:
    assert decision.record is not None
    try:
        return propose_file_text(
            decision.entry,
            decision.record,
            source_path=source_path_of(decision.entry, source_root),
            today=today,
        )
    except ValidationError as error:
        raise ContentInvalid(
            [
                ContentError(
                    decision.entry.path, f"its text as proposed changes to the live record: {message}"
                )
                for message in error.messages
            ]
        ) from None


def keep_admin_versions_in_history(decisions: list[Decision]) -> None:
    """Save, as a revision of its own, each admin version that a file is about to replace."""
    losing = [d.record for d in decisions if d.resolved is Prefer.FILE and d.outcome is Outcome.UPDATED]
    if not losing:
        return
    with reversion.create_revision():
        reversion.set_comment("Admin version, replaced by its content file (loadcontent --prefer file)")
        for record in losing:
            reversion.add_to_revision(record)


def sync_content(
    content: ContentSet,
    *,
    source_root: Path,
    dry_run: bool = False,
    prefer: Prefer | None = None,
    force_live: bool = False,
    today: date | None = None,
) -> SyncReport:
    """Bring the database in step with checked content, in one transaction.

    Raises ContentInvalid when any file has a problem and, unless `prefer` settles them, ContentConflict when
    any record was changed both in its file and in the admin; in both cases nothing is written. `force_live`
    puts a file's text preferred over a live, reviewed record live at once instead of proposing it; `today`
    dates the change note of proposed changes.
    """
    if content.errors:
        raise ContentInvalid(content.errors)
    with transaction.atomic(), rolled_back_changes() if dry_run else nullcontext():
        report = plan(content)
        if report.of(Outcome.CONFLICT):
            if prefer is None:
                raise ContentConflict(report)
            report.decisions = [
                settle(d, prefer, force_live=force_live) if d.outcome is Outcome.CONFLICT else d
                for d in report.decisions
            ]
        # A dry run (loadcontent --check) writes exactly as a load does and then rolls back, so that it finds
        # every problem the load would: what a save, the models' validation or the database refuses too.
        write_all(report, content, source_root, today or timezone.localdate())
        if dry_run:
            transaction.set_rollback(True)
            report.written = False
            report.proposals = []
    return report


def write_all(report: SyncReport, content: ContentSet, source_root: Path, today: date) -> None:
    """Write what `report` decided, in the transaction sync_content holds."""
    keep_admin_versions_in_history(report.decisions)
    bodies = body_models()
    with reversion.create_revision():
        reversion.set_comment(LOAD_COMMENT)
        for decision in report.decisions:
            if decision.entry.model not in bodies:
                write(decision, source_root)
        write_bodies([d for d in report.decisions if d.entry.model in bodies], content, source_root)
        report.proposals = [propose(d, source_root, today) for d in report.of(Outcome.PROPOSED)]
    written = [d for d in report.decisions if applies_file(d)]
    report.written = bool(written)
    # Pages written in this run already saw the new glossary and blocks; the others need rendering again.
    skip = {(d.entry.model, d.entry.key) for d in written}
    renders_into = {kind_of(d.entry.model).renders_into_bodies for d in written}
    if "all" in renders_into:
        rerender_bodies(skip=skip, parallel=True)
    elif "users" in renders_into:
        changed_blocks = {
            d.entry.key for d in written if kind_of(d.entry.model).renders_into_bodies == "users"
        }
        rerender_bodies(skip=skip, parallel=True, using_blocks=changed_blocks)
