"""Pictures in a body (inline SVG, see content/README.md "Pictures"): each must say in words what it shows.

The sanitizer keeps an <svg> only as shapes and text and drops any attribute it does not allow, so a picture
written without its text alternative would reach readers as a silent image. The loader and the admin form
refuse that instead, naming the line.
"""

import re

MAX_LABEL = 1000
_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_ROLE_IMG = re.compile(r'\brole="img"')
_LABEL = re.compile(r'\baria-label="([^"<>]*)"')


def picture_problems(text: str) -> list[tuple[int, str]]:
    """(line, problem) for each <svg> that lacks role="img" or a usable aria-label."""
    problems = []
    for tag in _SVG_TAG.finditer(text):
        line = text.count("\n", 0, tag.start()) + 1
        label = _LABEL.search(tag.group(0))
        if not _ROLE_IMG.search(tag.group(0)):
            problems.append((line, 'a picture\'s <svg> needs role="img"'))
        if label is None or not label.group(1).strip():
            problems.append((line, 'a picture\'s <svg> needs aria-label="..." saying in words all it shows'))
        elif len(label.group(1)) > MAX_LABEL:
            problems.append(
                (
                    line,
                    f"a picture's aria-label is {len(label.group(1))} characters; the limit is {MAX_LABEL}",
                )
            )
    return problems
