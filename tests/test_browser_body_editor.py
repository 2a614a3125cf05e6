"""In a real Chromium: an Editor types a body and the preview, beside the text on a wide window, shows its
reading grade against the target and a care card styled as on the site; a broken card shows its problem."""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from articles.editorial.roles import EDITOR
from tests.browser import chromium
from tests.test_browser_editing import _no_csp_violations, log_in, make_user  # noqa: F401 - a fixture

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see tests/test_browser_editing.py

pytestmark = pytest.mark.django_db(transaction=True)

SITE_URGENT_RED = "rgb(163, 35, 47)"  # .care-card--urgent's band in static/css/care-cards.css


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def test_the_preview_shows_the_grade_and_a_styled_card_beside_the_text(browser: Browser, live_server) -> None:
    make_user("editor", EDITOR)
    editor = log_in(browser, live_server.url, "editor")
    editor.set_viewport_size({"width": 1400, "height": 900})
    editor.goto("/admin/articles/article/add/")
    body = editor.locator("textarea#id_body")
    body.click()
    body.press_sequentially("Talk to your doctor first. Bring a list of your pills.")
    body.press("Enter")
    body.press("Enter")
    # The card's indented text is pasted in, as editors often do; then a key is typed.
    body.press_sequentially('!!! urgent "Get help today if you:"')
    body.fill(body.input_value() + "\n    - have a red streak up your arm\n")
    body.press_sequentially(" ")

    preview = editor.locator(".markdownx-preview")
    expect(preview).to_contain_text("(target: 8 or lower)")
    expect(preview.locator(".editor-preview__grades")).to_contain_text("Reading grade")
    heading = preview.locator(".care-card--urgent .care-card__heading")
    expect(heading).to_contain_text("Get help today if you:")
    assert heading.evaluate("h => getComputedStyle(h).backgroundColor") == SITE_URGENT_RED
    expect(preview.locator(".editor-preview__problems")).to_have_count(0)

    # Side by side on a wide window: the preview starts to the right of the text, level with it.
    text_box, preview_box = body.bounding_box(), preview.bounding_box()
    assert text_box and preview_box
    assert preview_box["x"] >= text_box["x"] + text_box["width"]
    assert abs(preview_box["y"] - text_box["y"]) < 5

    # Curly quotes: the card is not a card, and the preview says which line and how to write it.
    body.fill(body.input_value().replace('"Get help today if you:"', "“Get help today if you:”"))
    body.press_sequentially(" ")
    expect(preview.locator(".editor-preview__problems")).to_contain_text(
        'Line 3: the care card heading must be in straight double quotes: !!! urgent "Get help today if you:"'
    )
    expect(preview.locator(".care-card")).to_have_count(0)

    # Stacked on a narrow window.
    editor.set_viewport_size({"width": 900, "height": 900})
    text_box, preview_box = body.bounding_box(), preview.bounding_box()
    assert text_box and preview_box
    assert preview_box["y"] >= text_box["y"] + text_box["height"]
