"""`python manage.py loadcontent [--check] [--content DIR]`: content files -> database."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.content_files.reading import read_content
from articles.content_files.sync import (
    ContentConflict,
    ContentInvalid,
    Outcome,
    Prefer,
    SyncReport,
    stored_html,
    sync_content,
)
from articles.signals import content_loaded


class Command(BaseCommand):
    help = "Check the Markdown files in content/ and load them into the database, keeping admin edits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--content", type=Path, default=None, help="content folder (default: content/)")
        parser.add_argument("--check", action="store_true", help="check the files and report; write nothing")
        parser.add_argument(
            "--prefer",
            choices=[p.value for p in Prefer],
            help="settle this run's conflicts: 'file' applies the file (the admin version stays in history); "
            "'admin' keeps the admin version (the file's stays in git)",
        )

    def handle(
        self, *args: Any, content: Path | None, check: bool, prefer: str | None, **options: Any
    ) -> None:
        self.verbosity = options["verbosity"]
        root = Path(content or settings.CONTENT_DIR)
        try:
            # Bodies already in the database as the files have them are not rendered again to check links.
            files = read_content(root, stored_html=stored_html())
            report = sync_content(
                files, source_root=root, dry_run=check, prefer=Prefer(prefer) if prefer else None
            )
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(invalid.errors)} problem(s) in {root}; nothing was loaded.") from None
        except ContentConflict as conflict:
            for decision in conflict.report.of(Outcome.CONFLICT):
                self.stderr.write(
                    f"conflict: {decision.entry.describe()} was changed both in the admin and in its file "
                    "since the last load. Run exportcontent to write the admin version to the file, or "
                    "choose a side for this run with --prefer file or --prefer admin."
                )
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

    def write_report(self, report: SyncReport, *, check: bool) -> None:
        for decision in report.decisions:
            if decision.resolved:
                self.stdout.write(
                    f"conflict settled in favour of the {decision.resolved}: {decision.entry.describe()}"
                )
        for decision in report.of(Outcome.KEPT):
            self.stdout.write(
                f"kept admin edit: {decision.entry.describe()} was changed in the admin since it was loaded; "
                "the file was not applied."
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
                if outcome is not Outcome.CONFLICT
            )
            self.stdout.write(f"{kind}: {summary}")
        if check:
            self.stdout.write(
                self.style.SUCCESS("All content files are valid. Nothing was written (--check).")
            )
        elif report.written:
            self.stdout.write(self.style.SUCCESS("Content loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the database already matches content/."))
