"""On a phone (375 x 812 CSS pixels), every page starts on its first screen: the title within the top 300 px
and a topic page's main message fully visible without scrolling. The navigation stays one tap away behind a
"Menu" disclosure, with script off and by keyboard, and marks the current page; wide screens show it open."""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from articles.models import Article
from tests.browser import chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see tests/test_browser_editing.py

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
TITLE_WITHIN = 300
OTHER_PAGES = [
    *("/faq/", "/glossary/", "/search/?q=magnesium", "/no-such-page/"),
    "/options/summary/?matters=cost",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def test_every_title_and_main_message_is_on_a_phones_first_screen(
    browser: Browser, live_server, loaded_site: None
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    articles = list(Article.objects.published())
    for path in [article.get_absolute_url() for article in articles] + OTHER_PAGES:
        page.goto(path)
        title_top = page.locator("main h1").bounding_box()["y"]
        assert title_top <= TITLE_WITHIN, f"{path}: the title starts {title_top:.0f} px down"
    for article in articles:
        if not article.is_topic:
            continue
        page.goto(article.get_absolute_url())
        box = page.locator("main .main-message").bounding_box()
        bottom = box["y"] + box["height"]
        assert bottom <= PHONE["height"], f"{article.slug}: the main message ends {bottom:.0f} px down"
    context.close()


def test_the_navigation_is_one_tap_away_with_script_off(
    browser: Browser, live_server, loaded_site: None
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto("/side-effects/")
    navigation = page.get_by_role("navigation", name="Topics")
    expect(navigation).to_be_hidden()  # closed on a phone, so the page starts on the first screen
    page.locator("summary", has_text="Menu").click()
    expect(navigation).to_be_in_viewport()
    current = navigation.locator("[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", "/side-effects/")
    navigation.get_by_role("link", name="Questions and answers").click()
    expect(page.locator("main h1")).to_contain_text("Questions")
    context.close()


def test_the_menu_is_reached_by_keyboard_before_the_page(
    browser: Browser, live_server, loaded_site: None
) -> None:
    page = browser.new_page(base_url=live_server.url, viewport=PHONE)
    page.goto("/side-effects/")
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Menu":
            break
    assert reached[-1] == "Menu", reached  # after the skip link and the site's name, before the page
    page.keyboard.press("Enter")  # the focused "Menu" opens
    expect(page.get_by_role("navigation", name="Topics")).to_be_visible()
    page.close()


def test_wide_screens_show_the_navigation_open(browser: Browser, live_server, loaded_site: None) -> None:
    page = browser.new_page(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page.goto("/side-effects/")
    expect(page.get_by_role("navigation", name="Topics")).to_be_visible()
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    page.close()
