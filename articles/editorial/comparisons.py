"""Readable comparisons of two versions of a record: a reviewer reading proposed changes against the live
text, an editor comparing two versions in History or seeing what a restore will change, and an edit refused
because someone saved first. Word level: removed words in <del>, added ones in <ins>, every piece of text
escaped.

Written here rather than with django-reversion-compare: that package is GPL-3.0 (a licence this project's
users would inherit), its history template carries an inline style our Content-Security-Policy blocks, and it
compares characters, not words. What it adds over this module (a form to pick two versions) is one template.
"""

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORDS = re.compile(r"\S+\s*|\s+")


def comparable(value: Any) -> str:
    """A value as a comparison shows it: text with LF line ends and no blank ends (browsers send CRLF, and
    bodies are normalised on save); a list or mapping (a change log, aliases) one item per line."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(comparable(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {comparable(item)}" for key, item in value.items())
    return str(value).replace("\r\n", "\n").strip()


def _changed_words(before: str, after: str) -> list[str]:
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return parts


def word_diff(before: str, after: str) -> SafeString:
    """`before` changed into `after`: removed words in <del>, added ones in <ins>, all text escaped. Lines are
    matched first and words only within changed lines, so a long page compares quickly."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
        else:
            parts += _changed_words("".join(old[i1:i2]), "".join(new[j1:j2]))
    return mark_safe("".join(parts).replace("\n", "<br>\n"))  # every piece of text is escaped above


@dataclass(frozen=True)
class FieldChange:
    label: str
    diff: SafeString


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any], labels: Mapping[str, str]
) -> list[FieldChange]:
    """The fields of `labels` (name -> label, in the order shown) whose values differ, each compared word by
    word. A field missing on one side (added to the model since) compares as empty."""
    changes = []
    for name, label in labels.items():
        old, new = comparable(before.get(name)), comparable(after.get(name))
        if old != new:
            changes.append(FieldChange(label, word_diff(old, new)))
    return changes


def field_labels(model: type, names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Each model field's label as the admin shows it ("Main message"), by name."""
    return {name: str(model._meta.get_field(name).verbose_name).capitalize() for name in names}


COMPARISON_TEMPLATE = "admin/history/comparison.html"


def comparison_page(
    request: HttpRequest,
    admin_context: Mapping[str, Any],
    record: Model,
    *,
    title: str,
    labels: tuple[str, str],
    changes: list[FieldChange],
    nothing: str,
    **extra: Any,
) -> TemplateResponse:
    """An admin page showing `changes` to `record` side by side (History's comparison of two versions, and a
    proposal's comparison with the live text): `labels` name the two sides, `nothing` is said when they hold
    the same text. `admin_context`: the admin site's each_context(request)."""
    from_label, to_label = labels
    context = {
        **admin_context,
        "opts": record._meta,
        "original": record,
        "object_id": record.pk,
        "title": title,
        "from_label": from_label,
        "to_label": to_label,
        "changes": changes,
        "nothing": nothing,
        **extra,
    }
    return TemplateResponse(request, COMPARISON_TEMPLATE, context)
