"""Proposed changes checked as the live record itself is, when they are written (the form) and again when
they are published: a body (a page's, answer's, shared block's or the disclaimer's) by the body rules
(citations, care cards, shared blocks) against the live database; a kind that is not a rendered page body
(the disclaimer, a glossary term, a reference) by its model's own rules too, full_clean(), as its admin
form applies them."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst

from articles.editorial.body_checks import as_sentence, live_body_problems
from articles.models import CheckedBody, LoadedFromFile, ProposedChange


def record_problems(record: LoadedFromFile) -> dict[str, list[str]]:
    """The problems the model's rules find in `record` (a live record with changes written over it, unsaved),
    by field name: its fields' limits and validators, its clean(), and uniqueness against other records."""
    try:
        record.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def change_problems(change: ProposedChange, live: LoadedFromFile) -> list[str]:
    """What stops `change` being published over `live`, as sentences for the reviewer (none: it may be)."""
    problems = []
    if change.revises_checked_body():
        assert isinstance(live, CheckedBody)
        source = getattr(change, live.SOURCE_FIELD)
        problems += live_body_problems(source, model=type(live), key=live.content_key)
    if change.revises_rendered_body():
        return problems
    return problems + [
        as_sentence(message) if name == NON_FIELD_ERRORS else field_sentence(live, name, message)
        for name, messages in record_problems(change.proposed_record()).items()
        for message in messages
    ]


def field_sentence(record: LoadedFromFile, name: str, message: str) -> str:
    """'Url: must be an https:// address.'"""
    label = capfirst(record._meta.get_field(name).verbose_name)
    return f"{label}: {message.rstrip('.')}."
