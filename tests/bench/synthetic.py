"""Synthetic content for the loader and search benchmarks: the real content/ plus N generated topic pages.

Each generated page is a copy of a real topic page's body under a new slug and title, with one made-up word
so that every page is distinct for search. Bodies keep their citations, care cards and links, so loading them
does all the work a real page does (validation, rendering, readability, citation numbering).
"""

import shutil
from pathlib import Path

import frontmatter

SOURCE_PAGES = ("side-effects", "what-is-ivmt", "does-it-work", "who-should-not-have-it")


def synthetic_slug(number: int) -> str:
    return f"bench-topic-{number:05d}"


def synthetic_word(number: int) -> str:
    """A word no real page has, so a search for it finds exactly one generated page."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    word = ""
    n = number
    for _ in range(4):
        word += letters[n % 26]
        n //= 26
    return f"zq{word}"


def write_synthetic_content(real_content: Path, target: Path, count: int) -> Path:
    """Copy `real_content` to `target` and add `count` generated topic pages. Returns `target`."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(real_content, target)
    sources = [frontmatter.load(real_content / "articles" / f"{slug}.md") for slug in SOURCE_PAGES]
    for number in range(1, count + 1):
        source = sources[number % len(sources)]
        word = synthetic_word(number)
        page = frontmatter.Post(
            f"{source.content}\n\n## About this test page\n\n"
            f"This page is number {number}. Its test word is {word}.\n",
            **{
                **source.metadata,
                "title": f"Test topic {number}",
                "summary": f"A generated page for the loader benchmark, number {number}.",
                "order": 900,  # after every real page (the limit is 999)
            },
        )
        (target / "articles" / f"{synthetic_slug(number)}.md").write_text(frontmatter.dumps(page) + "\n")
    return target
