"""The public change log as editors type it in the admin: one line per change, `YYYY-MM-DD: what changed`."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

MAX_SUMMARY_LENGTH = 200
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, not "２０２６"


def newest_first(changes: list[dict[str, str]]) -> bool:
    return [c["date"] for c in changes] == sorted((c["date"] for c in changes), reverse=True)


def entry_problem(day: Any, summary: Any) -> str | None:
    """What is wrong with one entry's date or summary, or None: the rule for a stored or file entry and for a
    line typed in the admin alike."""
    if not isinstance(day, str) or strict_iso_date(day) is None:
        return f"'date' must be a real date written YYYY-MM-DD, not {day!r}"
    if not isinstance(summary, str) or not summary.strip():
        return "'summary' must say what changed"
    if len(summary) > MAX_SUMMARY_LENGTH:
        return f"'summary' is {len(summary)} characters long; the limit is {MAX_SUMMARY_LENGTH}"
    return None


def validate_change_log(value: Any) -> None:
    """The stored change log: [{date: "YYYY-MM-DD", summary}, ...], at least one entry, newest first. The
    model validates with this, so the loader and the admin apply the same rules."""
    if not isinstance(value, list) or not value:
        raise ValidationError("must be a list with at least one {date, summary} entry")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"date", "summary"}:
            raise ValidationError(f"entry {number} must have exactly the keys 'date' and 'summary'")
        problem = entry_problem(item["date"], item["summary"])
        if problem:
            raise ValidationError(f"entry {number}: {problem}")
    if not newest_first(value):
        raise ValidationError("entries must be newest first")


def strict_iso_date(text: str) -> date | None:
    """The date `text` writes as YYYY-MM-DD, or None. Only that form: Python's fromisoformat also reads
    20261126 and 2026-W48-4, which a reader of the file would not."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def format_change_log(changes: list[dict[str, str]]) -> str:
    return "\n".join(f"{change['date']}: {change['summary']}" for change in changes)


def parse_change_log(text: str) -> list[dict[str, str]]:
    """The change log from the admin's text, one `YYYY-MM-DD: what changed` a line (blank lines skipped);
    a problem names its line. format_change_log gives the text back."""
    changes = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        day, separator, summary = line.partition(":")
        parsed = strict_iso_date(day.strip())
        if parsed is None:
            message = f"Line {number}: start with a date written YYYY-MM-DD, then a colon."
            raise forms.ValidationError(message)
        if not separator or not summary.strip():
            raise forms.ValidationError(
                f"Line {number}: after the date and colon, say in one line what changed."
            )
        change = {"date": parsed.isoformat(), "summary": " ".join(summary.split())}
        problem = entry_problem(change["date"], change["summary"])
        if problem:
            raise forms.ValidationError(f"Line {number}: {problem}.")
        changes.append(change)
    if not changes:
        raise forms.ValidationError(
            "Add at least one line, for example: 2026-11-26: First version of this page."
        )
    if not newest_first(changes):
        raise forms.ValidationError("Put the newest change first.")
    return changes


def change_log_html(changes: list[dict[str, str]]) -> SafeString:
    """The change log as readers see it, newest first: a list of dated lines (for a read-only admin form)."""
    if not changes:
        return format_html("<p>{}</p>", "No changes recorded yet.")
    newest = sorted(changes, key=lambda change: str(change.get("date")), reverse=True)
    return format_html(
        '<ul class="change-log-list">{}</ul>',
        format_html_join(
            "",
            '<li><time datetime="{0}">{0}</time>: {1}</li>',
            ((change.get("date"), change.get("summary")) for change in newest),
        ),
    )


class ChangeLogField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: object) -> object:
        return format_change_log(value) if isinstance(value, list) else value

    def to_python(self, value: object) -> list[dict[str, str]]:
        return parse_change_log(str(value or ""))
