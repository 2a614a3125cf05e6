"""Strict body syntax: a care card or citation the renderer would read as something else is refused with its
line, by the admin form and by the loader (and `loadcontent --check`) alike, from the one set of rules."""

import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles.models import Article, Disclaimer
from articles.rendering.body_rules import BodyProblem, body_problems, topic_page_problems
from tests.conftest import TOPIC_BODY, article_admin_form, article_file

pytestmark = pytest.mark.django_db

GOOD_CARD = '!!! urgent "Get help today if you:"\n    - have a red streak up your arm\n'

# (case, body, line of the problem, what the message must say): each body is written after two lines of text.
BROKEN = [
    ("unknown_kind", '!!! danger "Run"\n    Now.', 3, "care card level 'danger' is not one of non-urgent"),
    ("kind_in_capitals", '!!! Urgent "Run"\n    Now.', 3, "care card level 'Urgent' is not one of"),
    (
        "heading_without_quotes",
        "!!! warning Get help now\n    Now.",
        3,
        'the care card heading must be in straight double quotes: !!! warning "Get help now"',
    ),
    (
        "curly_double_quotes",
        "!!! warning “Get help now”\n    Now.",
        3,
        'the care card heading must be in straight double quotes: !!! warning "Get help now"',
    ),
    (
        "curly_single_quotes",
        "!!! urgent ‘Get help’\n    Now.",
        3,
        'the care card heading must be in straight double quotes: !!! urgent "Get help"',
    ),
    (
        "heading_not_closed",
        '!!! urgent "Get help\n    Now.',
        3,
        'the care card heading must be in straight double quotes: !!! urgent "Get help"',
    ),
    ("no_heading", "!!! emergency\n    Now.", 3, 'care card needs a heading in quotes: !!! emergency "'),
    (
        "no_kind",
        '!!! "Get help"\n    Now.',
        3,
        'a care card line starts with its kind: !!! urgent "Get help"',
    ),
    (
        "card_line_after_spaces",
        '  !!! urgent "Get help"\n    Now.',
        3,
        "a care card line must start at the beginning of the line, not after spaces",
    ),
    (
        "empty_card_at_the_end",
        '!!! urgent "Get help today if you:"',
        3,
        "the care card is empty: write its text on the next lines, indented by 4 spaces",
    ),
    (
        "empty_card_before_text",
        '!!! urgent "Get help today if you:"\n\nSome text.',
        3,
        "the care card is empty",
    ),
    (
        "body_not_indented",
        '!!! urgent "Get help today if you:"\n- have a red streak',
        4,
        "indent the care card's text by 4 spaces: write 4 spaces before '- have a red streak'",
    ),
    (
        "body_indented_by_two",
        '!!! urgent "Get help today if you:"\n  - have a red streak',
        4,
        "indent the care card's text by 4 spaces, not 2",
    ),
    (
        "second_line_indented_by_three",
        '!!! urgent "Get help today if you:"\n    - one\n   - two',
        5,
        "indent the care card's text by 4 spaces, not 3",
    ),
    (
        "body_indented_by_a_tab",
        '!!! urgent "Get help today if you:"\n\t- have a red streak',
        4,
        "indent the care card's text with 4 spaces, not a tab",
    ),
    (
        "text_run_on_after_the_card",
        '!!! urgent "Get help today if you:"\n    - one\nMore text.',
        5,
        "this line follows the care card's text with no blank line between: indent it by 4 spaces to keep "
        "it in the card, or leave a blank line before it",
    ),
    (
        "space_after_at",
        "Magnesium can lower blood pressure.[@ label-magnesium]",
        3,
        "the citation [@ label-magnesium] has a space inside its brackets: write [@label-magnesium]",
    ),
    (
        "space_before_at",
        "Magnesium can lower blood pressure.[ @ali2009]",
        3,
        "the citation [ @ali2009] has a space inside its brackets: write [@ali2009]",
    ),
    (
        "key_in_capitals",
        "Magnesium can lower blood pressure.[@Ali2009]",
        3,
        "the citation [@Ali2009] does not name a key as references have them (lowercase letters, digits "
        "and hyphens): write [@ali2009]",
    ),
    (
        "citation_not_closed",
        "Magnesium can lower blood pressure.[@ali2009 and more.",
        3,
        "the citation [@ali2009 is not closed with ]: write [@ali2009]",
    ),
    (
        "two_keys_in_one_citation",
        "Magnesium can lower blood pressure.[@ali2009; @other]",
        3,
        "the citation [@ali2009; @other] names several references in one pair of brackets: "
        "write [@ali2009][@other]",
    ),
]
IDS = [case[0] for case in BROKEN]
CASES = [case[1:] for case in BROKEN]


def problems_of(body: str) -> list[tuple[int | None, str]]:
    text = f"Intro line.\n\n{body}\n"
    return [
        tuple(problem)
        for problem in body_problems(
            text, reference_keys={"ali2009"}, block_names=set(), in_block=False, topic_page=False
        )
    ]


@pytest.mark.parametrize(("body", "line", "expected"), CASES, ids=IDS)
def test_each_rule_names_the_line_and_how_to_write_it(body: str, line: int, expected: str) -> None:
    problems = problems_of(body)
    assert any(number == line and expected in message for number, message in problems), problems


@pytest.mark.parametrize(
    "body",
    [
        GOOD_CARD,
        (
            '!!! warning "Keep taking your medicines"\n'
            "    Do not stop them.[@ali2009]\n\n    Talk to us.\n\nAfter."
        ),
        '!!! urgent "Get help today if you:"\n\n    - have a red streak\n',  # a blank line before the text
        "!!! inset\n    A quiet aside.",
        '!!! details "More about it"\n    - one\n      continued\n',
        "Cited twice.[@ali2009][@ali2009] A [link](/about/).",
    ],
)
def test_well_written_cards_and_citations_pass(body: str) -> None:
    assert problems_of(body) == []


def test_a_malformed_citation_is_not_also_reported_as_an_unknown_reference() -> None:
    assert len(problems_of("Text.[@Ali2009]")) == 1


def test_every_file_in_content_still_loads() -> None:
    out = StringIO()
    call_command("loadcontent", "--check", stdout=out, stderr=out)
    assert "All content files are valid." in out.getvalue()


@pytest.mark.parametrize(("body", "line", "expected"), CASES, ids=IDS)
def test_the_admin_form_refuses_it_with_the_line(
    admin_client: Client, body: str, line: int, expected: str
) -> None:
    # The body's first lines, as the form receives them: "## Key points", blank, a bullet, blank.
    text = TOPIC_BODY.format(body=f"Intro line.\n\n{body}").replace("\n", "\r\n")
    response = admin_client.post("/admin/articles/article/add/", article_admin_form(slug="a-page", body=text))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert f"Line {line + 4}: {expected}" in html
    assert not Article.objects.filter(slug="a-page").exists()


def failed_check(root: Path, *args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("loadcontent", "--content", str(root), *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.mark.parametrize("check", [False, True], ids=["load", "check"])
@pytest.mark.parametrize(("body", "line", "expected"), CASES, ids=IDS)
def test_the_loader_refuses_it_with_the_file_and_line(
    minimal_content: Path, body: str, line: int, expected: str, check: bool
) -> None:
    path = minimal_content / "articles" / "side-effects.md"
    path.write_text(article_file("Side effects", f"Intro line.\n\n{body}"))
    file_line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text == "Intro line.")
    messages = failed_check(minimal_content, *(["--check"] if check else []))
    assert f"articles/side-effects.md:{file_line + line - 1}: {expected}" in messages, messages
    assert not Article.objects.filter(slug="side-effects").exists()


# The disclaimer: shown on every page, so it may hold care cards but cites nothing and uses no shared block.
BROKEN_DISCLAIMER = "Read this first.\n\n!!! urgent Call us\nCall 911.\n\nAs we said.[@ ali2009]\n"
DISCLAIMER_PROBLEMS = [
    (3, 'the care card heading must be in straight double quotes: !!! urgent "Call us"'),
    (6, "[@ ali2009] cites a source, but this text is shown on every page"),
]


def disclaimer_problems(body: str) -> list[BodyProblem]:
    # Even a reference and a block that exist: the disclaimer uses neither.
    known = {"reference_keys": {"ali2009"}, "block_names": {"drip-emergency"}}
    return Disclaimer.body_problems(body, key="disclaimer", **known)


def test_the_disclaimer_may_hold_care_cards_but_cite_nothing_and_use_no_block() -> None:
    assert disclaimer_problems(f"Intro.\n\n{GOOD_CARD}") == []
    cited = disclaimer_problems("Intro.\n\nAs we said.[@ali2009]\n")
    assert [problem.line for problem in cited] == [3]
    assert "shown on every page" in cited[0].message and "[@ali2009]" in cited[0].message
    block = disclaimer_problems("Intro.\n{{ block drip-emergency }}\n")
    assert [problem.line for problem in block] == [2]
    assert "shown on every page" in block[0].message and "drip-emergency" in block[0].message


def disclaimer_form(client: Client, body: str) -> tuple[str, dict[str, str]]:
    disclaimer = Disclaimer.objects.get()
    url = f"/admin/articles/disclaimer/{disclaimer.pk}/change/"
    page = client.get(url).content.decode()
    edit_base = re.search(r'name="edit_base" value="([^"]*)"', page)
    form = {"title": disclaimer.title, "body": body.replace("\n", "\r\n")}
    if edit_base:
        form["edit_base"] = edit_base.group(1)
    return url, form


def test_the_disclaimer_admin_form_refuses_it_with_the_line(reviewer: Client, loaded_site: None) -> None:
    before = Disclaimer.objects.get().body
    url, form = disclaimer_form(reviewer, BROKEN_DISCLAIMER)
    response = reviewer.post(url, form)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for line, expected in DISCLAIMER_PROBLEMS:
        assert f"Line {line}: {expected}" in html, html
    assert Disclaimer.objects.get().body == before

    url, form = disclaimer_form(reviewer, f"{before}\n\n{GOOD_CARD}")
    assert reviewer.post(url, form).status_code == 302
    assert 'class="care-card' in Disclaimer.objects.get().body_html


@pytest.mark.parametrize("check", [False, True], ids=["load", "check"])
def test_the_loader_refuses_a_broken_disclaimer_with_the_file_and_line(
    minimal_content: Path, check: bool
) -> None:
    path = minimal_content / "site" / "disclaimer.md"
    path.write_text(f"---\ntitle: Medical disclaimer\n---\n{BROKEN_DISCLAIMER}")
    messages = failed_check(minimal_content, *(["--check"] if check else []))
    for line, expected in DISCLAIMER_PROBLEMS:
        assert f"site/disclaimer.md:{line + 3}: {expected}" in messages, messages
    assert not Disclaimer.objects.exists()


@pytest.mark.parametrize(
    ("section", "counts"),
    [
        ("## What we know and what we don't", True),
        ("## What we know and what we don’t  ", True),
        ("##\tWHAT WE KNOW AND WHAT WE DON'T", True),
        # '##' alone is an empty heading and the words under it a paragraph, not the section.
        ("##\nWhat we know and what we don't", False),
        ("### What we know and what we don't", False),
    ],
)
def test_a_topic_page_needs_its_known_and_unknown_section_as_a_heading(section: str, counts: bool) -> None:
    body = f"## Key points\n\n- One point.\n\n## About it\n\nText.\n\n{section}\n\nWhat is known.\n"
    missing = "a topic page needs a section '## What we know and what we don't'"
    assert (missing not in topic_page_problems(body)) == counts
