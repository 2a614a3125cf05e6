"""The public change log as editors type it in the admin: one line per change, `YYYY-MM-DD: what changed`."""

from datetime import date

from django import forms


def newest_first(changes: list[dict[str, str]]) -> bool:
    return [c["date"] for c in changes] == sorted((c["date"] for c in changes), reverse=True)


def format_change_log(changes: list[dict[str, str]]) -> str:
    return "\n".join(f"{change['date']}: {change['summary']}" for change in changes)


def parse_change_log(text: str) -> list[dict[str, str]]:
    changes = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        day, separator, summary = line.partition(":")
        try:
            parsed = date.fromisoformat(day.strip())
        except ValueError:
            message = f"Line {number}: start with a date written YYYY-MM-DD, then a colon."
            raise forms.ValidationError(message) from None
        if not separator or not summary.strip():
            raise forms.ValidationError(
                f"Line {number}: after the date and colon, say in one line what changed."
            )
        changes.append({"date": parsed.isoformat(), "summary": " ".join(summary.split())})
    if not changes:
        raise forms.ValidationError(
            "Add at least one line, for example: 2026-11-26: First version of this page."
        )
    if not newest_first(changes):
        raise forms.ValidationError("Put the newest change first.")
    return changes


class ChangeLogField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: object) -> object:
        return format_change_log(value) if isinstance(value, list) else value

    def to_python(self, value: object) -> list[dict[str, str]]:
        return parse_change_log(str(value or ""))
