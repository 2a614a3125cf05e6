"""Hostile content files are refused fast, in a few lines naming the file, by `--check` and by the load alike,
and a refused load leaves the database as it was."""

import os
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.content_files import parsing
from articles.rendering.input_limits import MAX_BODY_CHARACTERS, MAX_FILE_BYTES
from tests.conftest import GLOSSARY_REVIEW_DATES, article_file, database_snapshot

pytestmark = pytest.mark.django_db

PAGE = "articles/side-effects.md"
# Generous: these checks take milliseconds; the bound only catches a hang. Speed belongs in benchmarks.
HANG = 5.0

# 579 bytes that expand to 9**9 strings when a YAML loader follows the aliases.
ALIAS_BOMB = """---
title: x
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
Text.
"""


def page(body: str = "Some text.") -> str:
    return article_file("Side effects", body)


def writes(relative: str, text: str | bytes) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / relative
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)

    return mutate


def links_to(relative: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        (root / relative).symlink_to(target(root))

    return mutate


def outside_file(root: Path) -> Path:
    outside = root.parent / "outside.md"
    outside.write_text(page())
    return outside


def makes_pipe(relative: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        os.mkfifo(root / relative)  # nobody writes to it: reading it would wait for ever

    return mutate


HOSTILE = [
    (
        "alias_bomb",
        PAGE,
        writes(PAGE, ALIAS_BOMB),
        "YAML aliases and anchors ('&name', '*name') are not allowed",
    ),
    (
        "alias_in_a_list_file",
        "site/glossary.yaml",
        writes(
            "site/glossary.yaml",
            "- term: &t placebo\n  definition: *t\n" + GLOSSARY_REVIEW_DATES,
        ),
        "YAML aliases and anchors",
    ),
    (
        "duplicate_key",
        PAGE,
        writes(PAGE, page().replace("order: 10\n", "order: 10\ntitle: Another title\n")),
        "key 'title' is given twice (first on line 2): keep one",
    ),
    (
        "duplicate_key_in_a_list_entry",
        "faq/categories.yaml",
        writes("faq/categories.yaml", "- slug: basics\n  title: Basics\n  order: 10\n  order: 20\n"),
        "key 'order' is given twice (first on line 3)",
    ),
    (
        "date_without_hyphens",
        PAGE,
        writes(PAGE, page().replace("next_review_due: 2027-11-26", "next_review_due: 20271126")),
        "'next_review_due' must be a real date written YYYY-MM-DD, not '20271126'",
    ),
    (
        "week_date",
        PAGE,
        writes(PAGE, page().replace("next_review_due: 2027-11-26", "next_review_due: 2027-W48-4")),
        "'next_review_due' must be a real date written YYYY-MM-DD, not '2027-W48-4'",
    ),
    (
        "byte_order_mark",
        PAGE,
        writes(PAGE, b"\xef\xbb\xbf" + page().encode()),
        "starts with a byte-order mark (BOM): save it as UTF-8 without BOM",
    ),
    (
        "nul_in_the_body",
        PAGE,
        writes(PAGE, page("Some\x00text.")),
        ":17: holds a NUL byte (character 0)",
    ),
    (
        "nul_in_front_matter",
        PAGE,
        writes(PAGE, page().replace("title: Side effects", "title: Side\x00effects")),
        ":2: holds a NUL byte",
    ),
    (
        "key_ending_in_a_newline",
        "site/references.yaml",
        writes(
            "site/references.yaml",
            "- key: |\n    ali2009\n  authors: A\n  title: T\n  publisher: P\n  year: 2009\n"
            "  url: https://doi.org/10.1/x\n",
        ),
        "'key' must be lowercase letters, digits and hyphens, not 'ali2009\\n'",
    ),
    (
        "related_key_ending_in_a_newline",
        "faq/is-it-proven.md",
        writes(
            "faq/is-it-proven.md",
            "---\nquestion: Q?\ncategory: |\n  basics\norder: 1\nstatus: published\n"
            "last_reviewed: 2026-11-26\nnext_review_due: 2027-11-26\n---\nA.\n",
        ),
        "'category' must be lowercase letters, digits and hyphens, not 'basics\\n'",
    ),
    (
        "symlink_outside_content",
        PAGE,
        links_to(PAGE, outside_file),
        "is a symbolic link to",
    ),
    (
        "symlink_to_dev_zero",
        PAGE,
        links_to(PAGE, lambda root: Path("/dev/zero")),
        "outside the content folder",
    ),
    (
        "pipe",
        PAGE,
        makes_pipe(PAGE),
        "is not a regular file (a folder, device, pipe or socket): it was not read",
    ),
    (
        "oversize_file",
        PAGE,
        writes(PAGE, page("x" * (MAX_FILE_BYTES + 10))),
        f"the limit for a content file is {MAX_FILE_BYTES:,} bytes",
    ),
    (
        "oversize_body",
        PAGE,
        writes(PAGE, page("word " * (MAX_BODY_CHARACTERS // 5 + 10))),
        f"the limit is {MAX_BODY_CHARACTERS:,}",
    ),
    ("bracket_run", PAGE, writes(PAGE, page("[" * 20_000)), "20,000 characters without a space"),
    ("brackets_left_open", PAGE, writes(PAGE, page("[a " * 6_000)), "too many '[' left open"),
    (
        "deep_list",
        PAGE,
        writes(PAGE, page("- " * 10_000 + "a")),
        "nest 10000 levels deep here; the limit is 20",
    ),
    ("list_of_300_levels", PAGE, writes(PAGE, page("- " * 300 + "a")), "nest 300 levels deep"),
    (
        "deep_blockquote",
        PAGE,
        writes(PAGE, page("\n".join("> " * depth + "a" for depth in range(1, 200)))),
        "nest 21 levels deep here",
    ),
    ("tags_left_open", PAGE, writes(PAGE, page("<a " * 10_000)), "'<' that start an HTML tag without a '>'"),
]


def run(root: Path, *args: str) -> tuple[str, str, float]:
    """(what it wrote to stderr, the CommandError's message, seconds taken) for a run that must fail."""
    err = StringIO()
    started = time.perf_counter()
    with pytest.raises(CommandError) as refused:
        call_command("loadcontent", "--content", str(root), *args, stdout=StringIO(), stderr=err)
    return err.getvalue(), str(refused.value), time.perf_counter() - started


@pytest.mark.parametrize(
    ("relative", "mutate", "expected"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_a_hostile_file_is_refused_fast_and_named_by_check_and_load_alike(
    minimal_content: Path,
    load: Callable[..., str],
    relative: str,
    mutate: Callable[[Path], None],
    expected: str,
) -> None:
    load(minimal_content)
    before = database_snapshot()
    (minimal_content / relative).unlink(missing_ok=True)
    mutate(minimal_content)

    checked, check_summary, check_seconds = run(minimal_content, "--check")
    loaded, load_summary, load_seconds = run(minimal_content)

    assert database_snapshot() == before
    assert expected in loaded
    assert loaded.startswith(f"{minimal_content / relative}:")
    assert checked == loaded and check_summary == load_summary
    assert load_summary.endswith(f"problem(s) in {minimal_content}; nothing was loaded.")
    lines = loaded.splitlines()
    assert len(lines) <= 2 and all(len(line) < 400 for line in lines)  # a few short lines
    assert check_seconds < HANG and load_seconds < HANG


def test_a_symlink_to_a_file_inside_content_loads(minimal_content: Path, load: Callable[..., str]) -> None:
    (minimal_content / "shared").mkdir()
    (minimal_content / "shared" / "side-effects.md").write_text(page())
    (minimal_content / PAGE).symlink_to(minimal_content / "shared" / "side-effects.md")
    assert "Content loaded." in load(minimal_content)


def test_a_huge_quoted_value_is_cut_short_in_the_message(minimal_content: Path) -> None:
    (minimal_content / PAGE).write_text(page().replace("status: published", "status: " + "x" * 200_000))
    messages, _, _ = run(minimal_content)
    assert "'status' must be one of" in messages
    assert "cut short" in messages and len(messages) < 1000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ALIAS_BOMB, "YAML aliases and anchors"),
        (page().replace("order: 10\n", "order: 10\norder: 20\n"), "given twice"),
    ],
    ids=["alias_bomb", "duplicate_key"],
)
def test_the_pure_python_yaml_reader_refuses_the_same(
    minimal_content: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    """Without libyaml (or for text only the pure-Python reader reads), aliases and duplicates are refused."""
    monkeypatch.setattr(parsing, "_FAST_LOADER", None)
    (minimal_content / PAGE).write_text(text)
    messages, _, seconds = run(minimal_content, "--check")
    assert expected in messages and seconds < HANG
