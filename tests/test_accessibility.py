"""Every page a patient can reach, in a real Chromium: axe-core finds no WCAG 2.2 A/AA violation in either
colour scheme, the keyboard reaches everything, nothing needs JavaScript, and no request leaves the site.
Screenshots at phone and desktop widths go to test-artifacts/screenshots/ (ignored by git) for a person
to look at.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from articles.models import Article
from tests.browser import chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see tests/test_browser_editing.py

pytestmark = pytest.mark.django_db(transaction=True)

AXE = settings.BASE_DIR / "tests" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = settings.BASE_DIR / "test-artifacts" / "screenshots"
EXTRA_PAGES = [
    *("/faq/", "/glossary/", "/search/?q=magnesium", "/search/?q=zzzzqqq", "/no-such-page/"),
    "/options/summary/?matters=proof&matters=cost&option=ivmt&option=supplements&ask=proof",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def patient_pages() -> list[str]:
    return [article.get_absolute_url() for article in Article.objects.published()] + EXTRA_PAGES


def axe_violations(page: Page) -> list[str]:
    # Run by the test driver, not added as an inline <script>: the Content-Security-Policy refuses those.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def slug_of(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.strip("/")).strip("-")[:60] or "home"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_on_any_page(browser: Browser, live_server, loaded_site: None, scheme: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for width in (375, 1280):
        context = browser.new_context(
            base_url=live_server.url, color_scheme=scheme, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        for path in patient_pages():
            page.goto(path)
            page.screenshot(path=str(SCREENSHOTS / f"{slug_of(path)}-{width}-{scheme}.png"), full_page=True)
            if width == 375:  # axe's colour and structure checks do not depend on the width
                violations = axe_violations(page)
                if violations:
                    failures[f"{path} ({scheme})"] = violations
        context.close()
    assert failures == {}


def test_the_reader_chosen_low_light_theme_passes_axe(
    browser: Browser, live_server, loaded_site: None
) -> None:
    context = browser.new_context(base_url=live_server.url, color_scheme="light")
    page = context.new_page()
    page.goto("/side-effects/")
    page.get_by_role("button", name="Low light").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert axe_violations(page) == []
    context.close()


def test_the_keyboard_reaches_the_skip_link_navigation_and_details(
    browser: Browser, live_server, loaded_site: None
) -> None:
    page = browser.new_page(base_url=live_server.url)
    page.goto("/side-effects/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto("/side-effects/")
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate("document.activeElement.getAttribute('href') || document.activeElement.tagName")
        )
    assert {"/what-is-ivmt/", "/faq/", "/glossary/"} <= reached

    summary = page.locator("details.change-log summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.change-log")).to_have_attribute("open", "")

    page.locator("#site-search").focus()
    page.keyboard.type("riboflavin")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=riboflavin")
    expect(page.locator("main mark").first).to_be_visible()

    page.goto("/side-effects/")
    page.get_by_role("button", name="Yes").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_contain_text("Thank you")
    page.close()


def test_layout_reflows_at_320_pixels_like_400_percent_zoom(
    browser: Browser, live_server, loaded_site: None
) -> None:
    page = browser.new_page(base_url=live_server.url, viewport={"width": 320, "height": 640})
    for path in patient_pages():
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"
    page.close()


def test_everything_reads_and_works_without_javascript(
    browser: Browser, live_server, loaded_site: None
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    for path in patient_pages():
        response = page.goto(path)
        assert response is not None and response.status in (200, 404)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("#disclaimer")).to_be_visible()
    page.goto("/side-effects/")
    page.get_by_role("button", name="Low light").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.fill("#site-search", "thunderclap")
    page.locator("header form[role=search] button").click()
    expect(page.locator("main mark").first).to_be_visible()
    page.goto("/side-effects/")
    page.get_by_role("button", name="No").click()
    expect(page.locator("main h1")).to_contain_text("Thank you")
    context.close()


def test_no_request_leaves_the_site(browser: Browser, live_server, loaded_site: None) -> None:
    page = browser.new_page(base_url=live_server.url)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in patient_pages():
        page.goto(path)
    assert requested and all(url.startswith(live_server.url) for url in requested), [
        url for url in requested if not url.startswith(live_server.url)
    ]
    page.close()


def test_screenshots_are_kept_out_of_git() -> None:
    assert "test-artifacts/" in (settings.BASE_DIR / ".gitignore").read_text().splitlines()
    assert isinstance(SCREENSHOTS, Path)
