"""The shape every topic page keeps: key points first, and an honest account of what is not known."""

import re

MAX_KEY_POINTS = 5
MAIN_MESSAGE_MISSING = (
    "'main_message' is required on a topic page: the one thing a reader should take away, in one sentence"
)
_KEY_POINTS = re.compile(r"^##\s+Key points\s*$", re.IGNORECASE)
_KNOWN_UNKNOWN = re.compile(r"^##\s+What we know and what we don[’']t\s*$", re.IGNORECASE | re.MULTILINE)
_BULLET = re.compile(r"^(?:[-*+]|\d+\.)\s+\S")


def topic_page_problems(body: str) -> list[str]:
    lines = [line.rstrip() for line in body.splitlines()]
    first = next((line for line in lines if line.strip()), "")
    problems = []
    if not _KEY_POINTS.match(first):
        problems.append("a topic page must start with the heading '## Key points'")
    else:
        start = lines.index(first) + 1
        end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
        bullets = sum(1 for line in lines[start:end] if _BULLET.match(line))
        if not 1 <= bullets <= MAX_KEY_POINTS:
            problems.append(f"'Key points' must be a list of 1 to {MAX_KEY_POINTS} bullets, not {bullets}")
    if not _KNOWN_UNKNOWN.search(body):
        problems.append("a topic page needs a section '## What we know and what we don't'")
    return problems
