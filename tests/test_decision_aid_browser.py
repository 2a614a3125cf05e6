"""The decision aid in a real Chromium on a phone (375 x 812) with script off: the reader fills in the form,
gets the summary, and prints it on one page; the handout still prints on one page too. Nothing is written."""

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from articles.models import OPTIONS_SLUG, DecisionOption
from tests.browser import chromium
from tests.conftest import database_snapshot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see tests/test_browser_editing.py

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_form_makes_a_summary_with_script_off(browser: Browser, live_server, loaded_site: None) -> None:
    before = database_snapshot()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/{OPTIONS_SLUG}/")
    form = page.locator("#what-matters form")
    form.get_by_label("What it costs me").check()
    form.get_by_label("Good proof that it works").check()
    ivmt = DecisionOption.objects.get(slug="ivmt")
    form.locator("fieldset", has_text="talk about").get_by_label(ivmt.name).check()
    form.get_by_label("What will it cost in total, and will my insurance pay?").check()
    form.get_by_role("button", name="Make my summary").click()
    expect(page).to_have_url(re.compile(r"/options/summary/\?.*matters=cost"))
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text("My summary: options for migraine")
    expect(main).to_contain_text("What it costs me")
    expect(main).to_contain_text("will my insurance pay?")
    rows = main.locator('.summary__on-screen th[scope="row"]')
    expect(rows).to_have_count(4)  # one option: works, sure, side effects, cost
    expect(main.locator(".summary__on-paper")).to_be_hidden()  # the side-by-side table is for paper
    expect(page.locator("#disclaimer")).to_be_visible()
    assert page.locator("main h1").bounding_box()["y"] <= 300
    context.close()
    assert database_snapshot() == before


def test_a_summary_of_ivmt_and_any_other_option_prints_on_one_page(
    browser: Browser, live_server, loaded_site: None
) -> None:
    """What the form promises: 2 options and up to 2 things that matter fit one A4 page, with the benefits,
    harms and certainty that are always shown, the questions, the aid's certification and its sources."""
    page = browser.new_page(base_url=live_server.url)
    pages = {}
    for other in DecisionOption.objects.exclude(slug="ivmt").values_list("slug", flat=True):
        query = f"matters=cost&matters=time&option=ivmt&option={other}&ask=proof&ask=safe&ask=how-long"
        page.goto(f"/options/summary/?{query}&leaning=not-sure")
        page.emulate_media(media="print")
        expect(page.locator(".what-matters")).to_have_count(0)
        expect(page.locator("#disclaimer")).to_be_visible()
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator("#about-this-comparison")).to_be_visible()
        pages[other] = pdf_pages(page.pdf(format="A4"))
    page.close()
    assert set(pages.values()) == {1}, pages


def test_the_handout_still_prints_on_one_page(browser: Browser, live_server, loaded_site: None) -> None:
    page = browser.new_page(base_url=live_server.url)
    page.goto("/questions-for-your-doctor/")
    page.emulate_media(media="print")
    pages = pdf_pages(page.pdf(format="A4"))
    page.close()
    assert pages == 1, pages
