"""`python manage.py loadcontent [--check] [--content DIR] [--prefer file|admin] [--force-live]`: content
files -> database."""

from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from articles.content_files.conflicts import conflict_messages
from articles.content_files.proposals import FileProposal, pending_proposal
from articles.content_files.reading import read_content
from articles.content_files.sync import (
    ContentConflict,
    ContentInvalid,
    Decision,
    Outcome,
    Prefer,
    SyncReport,
    stored_links,
    sync_content,
)
from articles.editorial.notifications import notify_submitted
from articles.editorial.review_steps import submitted_from_file
from articles.models import ProposedChange, Status
from articles.signals import content_loaded


class Command(BaseCommand):
    help = "Check the Markdown files in content/ and load them into the database, keeping admin edits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--content", type=Path, default=None, help="content folder (default: content/)")
        parser.add_argument("--check", action="store_true", help="check the files and report; write nothing")
        parser.add_argument(
            "--prefer",
            choices=[p.value for p in Prefer],
            help="settle this run's conflicts: 'file' applies the file (the admin version stays in "
            "history; over a published record with a review step, the file's text becomes proposed changes "
            "in review; over an unpublished record, the admin's status stays); 'admin' keeps the admin "
            "version (the file's stays in git)",
        )
        parser.add_argument(
            "--force-live",
            action="store_true",
            help="with --prefer file: put the whole file in at once, without review, status included, even "
            "over a published record (the admin version stays in history)",
        )

    def handle(
        self,
        *args: Any,
        content: Path | None,
        check: bool,
        prefer: str | None,
        force_live: bool,
        **options: Any,
    ) -> None:
        self.verbosity = options["verbosity"]
        self.force_live = force_live
        if force_live and prefer != Prefer.FILE:
            raise CommandError("--force-live goes only with --prefer file; nothing was loaded.")
        root = Path(content or settings.CONTENT_DIR)
        try:
            # Bodies already in the database as the files have them are not rendered again to check links.
            files = read_content(root, stored_links=stored_links())
            report = sync_content(
                files,
                source_root=root,
                dry_run=check,
                prefer=Prefer(prefer) if prefer else None,
                force_live=force_live,
            )
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(invalid.errors)} problem(s) in {root}; nothing was loaded.") from None
        except ContentConflict as conflict:
            conflicts = [(d.entry, d.record) for d in conflict.report.of(Outcome.CONFLICT) if d.record]
            for message in conflict_messages(conflicts, root):
                self.stderr.write(message)
            raise CommandError(
                f"{conflict.report.count(Outcome.CONFLICT)} conflict(s); nothing was loaded."
            ) from None
        if report.written:
            # Saves already drop the cached pages (signals); this also covers rows written in bulk.
            answers = content_loaded.send(sender=self.__class__)
            if any(answer is False for _, answer in answers):
                self.stderr.write(
                    "warning: the cache (Redis) could not be reached to drop the cached pages. Pages cached "
                    f"before this load may be served for up to {settings.PAGE_CACHE_TIMEOUT // 60} minutes, "
                    "unless a content change is made through the site after the cache is back."
                )
        self.write_report(report, check=check)
        self.submit_for_review([p for p in report.proposals if p.made])

    def submit_for_review(self, proposals: list[FileProposal]) -> None:
        """Submit the proposed changes this load made as a submit in the admin does: a review step, and once
        it commits an email to the Clinical reviewers. (After the load has committed: the steps and the email
        are the editorial workflow's, which the content files may not import.)"""
        with transaction.atomic():
            for proposal in proposals:
                assert proposal.change is not None
                submitted_from_file(proposal.change, source_path=proposal.source_path)
                transaction.on_commit(partial(self.tell_reviewers, proposal.change, proposal.source_path))

    def tell_reviewers(self, change: ProposedChange, source_path: str) -> None:
        sent = notify_submitted(change, by=None, from_file=source_path)
        if sent.error:
            self.stderr.write(
                f"warning: the email to the Clinical reviewers about {change} could not be sent "
                f"({sent.error}). Tell them another way; the dashboard lists everything waiting for review."
            )
        elif self.verbosity == 0:
            return
        elif sent.to:
            self.stdout.write(f"emailed the Clinical reviewers ({', '.join(sent.to)}) about {change}.")
        else:
            self.stdout.write(
                f"no Clinical reviewer has an email address: nobody was emailed about {change}; the "
                "dashboard lists it as waiting for review."
            )

    def write_report(self, report: SyncReport, *, check: bool) -> None:
        proposals = {(p.entry.model, p.entry.key): p for p in report.proposals}
        for decision in report.decisions:
            if decision.resolved:
                self.stdout.write(
                    f"conflict settled in favour of the {decision.resolved}: {decision.entry.describe()}"
                    + self.how_settled(decision, proposals.get((decision.entry.model, decision.entry.key)))
                )
        for decision in report.of(Outcome.KEPT):
            if decision.resolved:
                continue
            assert decision.record is not None
            if pending_proposal(decision.entry, decision.record):
                self.stdout.write(
                    f"waiting for review: the file's text of {decision.entry.describe()} is in proposed "
                    "changes that a Clinical reviewer has not published yet; the live text stays until then."
                )
            else:
                self.stdout.write(
                    f"kept admin edit: {decision.entry.describe()} was changed in the admin since it was "
                    "loaded; the file was not applied."
                )
        if self.verbosity >= 2:
            for decision in report.decisions:
                self.stdout.write(f"{decision.outcome}: {decision.entry.describe()}")
        if self.verbosity == 0:
            return
        for kind, counts in report.counts_by_kind().items():
            prefix = "would be " if check else ""
            summary = ", ".join(
                f"{counts[outcome]} {prefix}{outcome}"
                for outcome in Outcome
                # Proposed changes are named only where a load makes them: they come of --prefer file.
                if outcome is not Outcome.CONFLICT and (outcome is not Outcome.PROPOSED or counts[outcome])
            )
            self.stdout.write(f"{kind}: {summary}")
        if check:
            self.stdout.write(
                self.style.SUCCESS("All content files are valid. Nothing was written (--check).")
            )
        elif report.written:
            self.stdout.write(self.style.SUCCESS("Content loaded."))
        elif any(proposal.made for proposal in report.proposals):
            self.stdout.write(
                self.style.SUCCESS(
                    "Proposed changes made; nothing readers see has changed until they are published."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the database already matches content/."))

    def how_settled(self, decision: Decision, proposal: FileProposal | None) -> str:
        """What settling one conflict did, in words, after the record's name."""
        if decision.resolved is Prefer.ADMIN:
            return ": the admin version stays; the file's is in git."
        assert decision.record is not None
        if decision.outcome is Outcome.UPDATED:
            kept = "; the admin version is kept in its history."
            return f"{how_applied(decision)}{kept}{status_note(decision)}"
        if proposal is None:  # --check: nothing was written
            return (
                ": the file's text would go in as proposed changes awaiting review; the live text would stay."
            )
        if proposal.change is None:
            said = ": the file's text is the live text already."
        else:
            said = (
                ": the file's text is in proposed changes awaiting review "
                f"(“{proposal.change.change_note}”), not live. The live text stays as it is until a "
                "Clinical reviewer publishes them; reword the change note first if it will show in a public "
                "change log."
            )
            if not proposal.made:
                said += " (Those proposed changes were waiting already; none were added.)"
        if proposal.kept_live:
            said += (
                f" Proposed changes do not revise {', '.join(proposal.kept_live)}, which the file sets "
                "differently: the live values stay; change them in the admin if the file is right."
            )
        return said


def how_applied(decision: Decision) -> str:
    """What putting the file's text in did, from the record as the load found it (`decision.record` is
    the record as written)."""
    model = decision.entry.model
    if decision.was_live:
        if ProposedChange.model_for(model) is None:
            return (
                f": the file's text is live now ({model._meta.verbose_name_plural} have no proposed "
                "changes: a save in the admin puts them live too)"
            )
        return ": the file's text is live now, without review (--force-live)"
    file_status = decision.entry.values.get("status")
    if decision.kept_status is None:  # --force-live: the file is put in whole
        if file_status == Status.PUBLISHED:
            return ": the file's text is in and published now, without review (--force-live): readers see it"
        status = status_label(file_status)
        return f": the file's text is in; its status is {status}, so readers do not see it"
    status = status_label(decision.kept_status)
    return (
        f": the file's text is in; its status stays {status}, as it was in the admin, so readers do not "
        "see it (publishing is a Clinical reviewer's step)"
    )


def status_note(decision: Decision) -> str:
    """Where the file's status was not applied: what the editor can do about it."""
    file_status = decision.entry.values.get("status")
    if decision.kept_status is None or file_status in (None, decision.kept_status):
        return ""
    return (
        f" The file says status: {file_status}; to have it so, submit it for review in the admin (or load "
        "with --prefer file --force-live to put the whole file in, without review)."
    )


def status_label(value: str) -> str:
    return str(Status(value).label).lower()
