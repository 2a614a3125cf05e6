"""Text of a reference list entry."""

from django import template

register = template.Library()


@register.filter
def full_stop(text: object) -> str:
    """`text` ending as a sentence: a full stop is added unless it already ends in one, or in '?' or '!'
    ("Ali A, et al." and "How will a migraine diary help?" keep their own)."""
    words = str(text).rstrip()
    return words if words.endswith((".", "?", "!")) else f"{words}."
