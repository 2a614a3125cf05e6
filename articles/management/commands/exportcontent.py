"""`python manage.py exportcontent [--output DIR]`: database -> content files, for committing admin edits."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.content_files.conflicts import conflict_messages
from articles.content_files.export import ExportRefused, export_content


class Command(BaseCommand):
    help = "Write the database back to the content files (content/) in canonical form. Never deletes a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="folder to write (default: content/)")

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        root = Path(output or settings.CONTENT_DIR)
        try:
            report = export_content(root)
        except ExportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            # The same words, diff and next step as loadcontent gives for the same conflicts.
            for message in conflict_messages(((c.entry, c.record) for c in refused.conflicts), root):
                self.stderr.write(message)
            counts = [f"{len(refused.problems)} problem(s)"] if refused.problems else []
            counts += [f"{len(refused.conflicts)} conflict(s)"] if refused.conflicts else []
            raise CommandError(f"{', '.join(counts)}; nothing was exported to {root}.") from None
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if options["verbosity"] >= 2:
            for planned in report.files:
                outcome = "written" if planned.path in report.written else "unchanged"
                self.stdout.write(f"{outcome}: {root / planned.path}")
        for kind, (records, written, unchanged) in report.counts_by_kind().items():
            self.stdout.write(f"{kind}: {records} record(s); files: {written} written, {unchanged} unchanged")
        if report.written:
            self.stdout.write(
                self.style.SUCCESS(f"Exported to {root}. Review the changes, then commit them.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Nothing changed: {root} already matches the database."))
