"""Shared blocks: content written once (content/blocks/), shown on every page using it, changed once."""

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles.models import Article, SharedBlock
from articles.rendering.shared_blocks import block_problems, blocks_used, expand_blocks
from faq.models import Question
from tests.conftest import article_file, database_snapshot, question_file

pytestmark = pytest.mark.django_db

Load = Callable[..., str]

CARD = '!!! emergency "Call 911 or your local emergency number (UK 999, EU 112, Australia 000) now if you:"\n'


def block_file(body: str, title: str = "Emergency card for the drip") -> str:
    return f"---\ntitle: {title}\n---\n{body}\n"


def with_block(root: Path, body: str = CARD + "    - cannot breathe[@ali2009]") -> Path:
    """The minimal content with a block `drip-emergency` used by a topic page and an FAQ answer."""
    (root / "blocks").mkdir(exist_ok=True)
    (root / "blocks" / "drip-emergency.md").write_text(block_file(body))
    page = article_file("Side effects", "Intro.[@ali2009]\n\n{{ block drip-emergency }}\n\nAfter.", order=40)
    (root / "articles" / "side-effects.md").write_text(page)
    answer = question_file("Is it safe?", "Not proven.\n\n{{ block drip-emergency }}")
    (root / "faq" / "is-it-safe.md").write_text(answer)
    return root


def failed_load(load: Load, root: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("loadcontent", "--content", str(root), stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_a_block_line_is_replaced_by_the_block() -> None:
    text = "Before.\n\n{{ block drip-emergency }}\n\n{{block other}}  \nAfter."
    assert blocks_used(text) == ["drip-emergency", "other"]
    expanded = expand_blocks(text, {"drip-emergency": "CARD\n", "other": "OTHER"})
    assert expanded == "Before.\n\nCARD\n\nOTHER\nAfter."
    assert block_problems(text, {"drip-emergency", "other"}) == []


def test_unknown_mistyped_and_nested_blocks_are_named_with_their_line() -> None:
    text = "Text.\n{{ block nope }}\n  {{ block drip-emergency }}\n{{ blok drip-emergency }}\nAn {{ x }} use."
    assert block_problems(text, {"drip-emergency"}) == [
        (2, "uses the shared block 'nope', which does not exist"),
        (3, "write a shared block alone on a line, as {{ block name }}, not '{{ block drip-emergency }}'"),
        (4, "write a shared block alone on a line, as {{ block name }}, not '{{ blok drip-emergency }}'"),
    ]
    assert block_problems("{{ block drip-emergency }}", {"drip-emergency"}, in_block=True) == [
        (1, "a shared block cannot use another block ('drip-emergency')")
    ]


def test_pages_and_answers_show_the_block_with_its_citations(
    minimal_content: Path, load: Load, client: Client
) -> None:
    load(with_block(minimal_content))
    page = client.get("/side-effects/").content.decode()
    assert "Immediate action required:" in page and "cannot breathe" in page
    # The block's citation joins the page's own list: both cite ali2009, so it is [1] twice, one reference.
    assert page.count('href="#ref-ali2009">[1]</a>') == 2 and page.count('id="ref-ali2009"') == 1
    faq = client.get("/faq/").content.decode()
    assert "cannot breathe" in faq and 'href="#ref-is-it-safe-ali2009"' in faq
    assert Article.objects.get(slug="side-effects").shared_blocks == ["drip-emergency"]
    assert "{{" not in page


def test_changing_a_block_file_changes_every_page_that_uses_it(
    minimal_content: Path, load: Load, client: Client
) -> None:
    root = with_block(minimal_content)
    load(root)
    assert "cannot breathe" in client.get("/side-effects/").content.decode()
    (root / "blocks" / "drip-emergency.md").write_text(block_file(CARD + "    - have a swollen tongue"))
    output = load(root)
    assert "shared blocks: 0 created, 1 updated" in output
    assert "articles: 0 created, 0 updated, 3 unchanged" in output  # the page files did not change
    for path in ("/side-effects/", "/faq/"):
        html = client.get(path).content.decode()
        assert "have a swollen tongue" in html and "cannot breathe" not in html, path
    assert "Nothing changed" in load(root)


def test_an_unknown_block_is_refused_with_file_and_line_and_nothing_is_loaded(
    minimal_content: Path, load: Load
) -> None:
    root = with_block(minimal_content)
    load(root)
    before = database_snapshot()
    page = article_file("Side effects", "Intro.\n\n{{ block drip-emergancy }}", order=40)
    (root / "articles" / "side-effects.md").write_text(page)
    err = failed_load(load, root)
    line = page.splitlines().index("{{ block drip-emergancy }}") + 1
    assert (
        f"articles/side-effects.md:{line}: uses the shared block 'drip-emergancy', which does not exist"
        in err
    )
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("body", "problem", "line"),
    [
        ('!!! danger "Run"\n    - x', "care card level 'danger' is not one of", 4),
        ("Cites [@nobody2020].", "[@nobody2020] is not a reference: add it to the references first", 4),
        ("{{ block other }}", "a shared block cannot use another block ('other')", 4),
        ("[a page](/no-such-page/)", "links to /no-such-page/, which is not a page on this site", 4),
    ],
)
def test_blocks_are_checked_like_page_bodies(
    minimal_content: Path, load: Load, body: str, problem: str, line: int
) -> None:
    root = with_block(minimal_content)
    (root / "blocks" / "drip-emergency.md").write_text(block_file(body))
    err = failed_load(load, root)
    assert f"blocks/drip-emergency.md:{line}: {problem}" in err, err


def test_blocks_are_exported_back_to_their_files(minimal_content: Path, load: Load) -> None:
    root = with_block(minimal_content)
    load(root)
    original = (root / "blocks" / "drip-emergency.md").read_text()
    block = SharedBlock.objects.get(slug="drip-emergency")
    block.body = CARD + "    - faint"
    block.save()
    call_command("exportcontent", "--output", str(root), stdout=StringIO())
    assert (root / "blocks" / "drip-emergency.md").read_text() == block_file(CARD + "    - faint")
    assert original != block_file(CARD + "    - faint")
    assert "Nothing changed" in load(root)


def test_an_admin_edit_of_a_block_shows_at_once_on_every_page_using_it(
    minimal_content: Path, load: Load, admin_client: Client, client: Client
) -> None:
    load(with_block(minimal_content))
    assert "cannot breathe" in client.get("/side-effects/").content.decode()  # now cached
    block = SharedBlock.objects.get(slug="drip-emergency")
    response = admin_client.post(
        f"/admin/articles/sharedblock/{block.pk}/change/",
        {"title": block.title, "body": CARD + "    - have hives all over"},
    )
    assert response.status_code == 302
    for path in ("/side-effects/", "/faq/"):
        html = client.get(path).content.decode()
        assert "have hives all over" in html and "cannot breathe" not in html, path
    assert "have hives all over" in Question.objects.get(slug="is-it-safe").answer_html


def test_the_admin_refuses_unknown_and_nested_blocks_naming_the_line(
    minimal_content: Path, load: Load, admin_client: Client
) -> None:
    load(with_block(minimal_content))
    answer = Question.objects.get(slug="is-it-safe")
    response = admin_client.post(
        f"/admin/faq/question/{answer.pk}/change/",
        {
            "question": answer.question,
            "category": answer.category_id,
            "status": "published",
            "order": "10",
            "last_reviewed": "2026-11-26",
            "next_review_due": "2027-11-26",
            "answer": "Text.\r\n\r\n{{ block drip-emergancy }}",
        },
    )
    assert response.status_code == 200
    assert "Line 3: uses the shared block &#x27;drip-emergancy&#x27;, which does not exist" in (
        response.content.decode()
    )
    block = SharedBlock.objects.get(slug="drip-emergency")
    response = admin_client.post(
        f"/admin/articles/sharedblock/{block.pk}/change/",
        {"title": block.title, "body": "{{ block drip-emergency }}"},
    )
    assert response.status_code == 200
    assert "a shared block cannot use another block" in response.content.decode()


def test_a_block_in_use_cannot_be_deleted(minimal_content: Path, load: Load, admin_client: Client) -> None:
    load(with_block(minimal_content))
    block = SharedBlock.objects.get(slug="drip-emergency")
    assert admin_client.get(f"/admin/articles/sharedblock/{block.pk}/delete/").status_code == 403
    change = admin_client.get(f"/admin/articles/sharedblock/{block.pk}/change/").content.decode()
    assert "Side effects; Is it safe?" in change  # where it is used
    Article.objects.filter(slug="side-effects").delete()
    Question.objects.filter(slug="is-it-safe").delete()
    response = admin_client.post(f"/admin/articles/sharedblock/{block.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not SharedBlock.objects.exists()


def test_editors_read_blocks_and_reviewers_change_them(editor: Client, reviewer: Client) -> None:
    assert editor.get("/admin/articles/sharedblock/").status_code == 200
    assert editor.get("/admin/articles/sharedblock/add/").status_code == 403
    assert reviewer.get("/admin/articles/sharedblock/add/").status_code == 200


def test_a_picture_without_its_text_alternative_is_refused(minimal_content: Path, load: Load) -> None:
    root = with_block(minimal_content)
    picture = (
        '<figure class="picture">\n<svg viewBox="0 0 10 10"><rect x="1" y="1" width="2" height="2"/></svg>\n'
    )
    (root / "blocks" / "picture-side-effects.md").write_text(block_file(picture + "</figure>", "A picture"))
    err = failed_load(load, root)
    assert 'blocks/picture-side-effects.md:5: a picture\'s <svg> needs role="img"' in err
    assert "blocks/picture-side-effects.md:5: a picture's <svg> needs aria-label=" in err


BIG_BLOCK = CARD + "    - " + "a few words. " * 300  # about 4,000 characters: within every limit alone
TWENTY_USES = "\n\n".join(["{{ block drip-emergency }}"] * 20)  # about 80,000 characters put in


def test_a_block_that_would_push_a_page_using_it_past_the_limits_is_refused_in_the_admin(
    minimal_content: Path, load: Load, admin_client: Client
) -> None:
    load(with_block(minimal_content))
    page = Article.objects.get(slug="side-effects")
    Article.objects.filter(pk=page.pk).update(body=page.body + "\n\n" + TWENTY_USES + "\n")
    block = SharedBlock.objects.get(slug="drip-emergency")
    response = admin_client.post(
        f"/admin/articles/sharedblock/{block.pk}/change/", {"title": block.title, "body": BIG_BLOCK}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Side effects" in html and "the limit is 64,000" in html
    block.refresh_from_db()
    assert "a few words" not in block.body


def test_a_block_that_would_push_a_page_using_it_past_the_limits_is_refused_by_the_loader(
    minimal_content: Path, load: Load
) -> None:
    root = with_block(minimal_content, BIG_BLOCK)
    page = root / "articles" / "side-effects.md"
    page.write_text(page.read_text().rstrip("\n") + "\n\n" + TWENTY_USES + "\n")
    said = failed_load(load, root)
    assert "drip-emergency.md" in said and "side-effects" in said and "the limit is 64,000" in said
    assert "Traceback" not in said


def test_a_page_using_a_big_block_thousands_of_times_is_refused_before_it_is_built() -> None:
    import tracemalloc

    from articles.rendering.bodies import render_body
    from articles.rendering.input_limits import BodyTooComplex

    text = "{{ block big }}\n" * 3_000
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooComplex, match="the limit is 64,000"):
            render_body(text, set(), blocks={"big": "word " * 12_000})
        assert tracemalloc.get_traced_memory()[1] < 10_000_000
    finally:
        tracemalloc.stop()


def test_rendering_pages_again_keeps_the_stored_page_when_it_is_now_beyond_the_limits(
    minimal_content: Path, load: Load
) -> None:
    """A block written around the checks (straight into the database) does not make rendering the pages
    that use it again fail: they keep what they showed."""
    from articles.rerendering import rerender_bodies

    load(with_block(minimal_content))
    page = Article.objects.get(slug="side-effects")
    Article.objects.filter(pk=page.pk).update(body=page.body + "\n\n" + TWENTY_USES + "\n")
    SharedBlock.objects.filter(slug="drip-emergency").update(body=BIG_BLOCK)
    rerender_bodies(using_blocks={"drip-emergency"})
    page.refresh_from_db()
    assert "cannot breathe" in page.body_html
