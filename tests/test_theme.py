"""The low-light theme: follows the device by default; a form (no JavaScript) overrides it with a cookie."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_follow_the_device_by_default(client: Client, loaded_site: None) -> None:
    html = client.get("/").content.decode()
    assert '<html lang="en" data-theme="auto">' in html
    assert '<meta name="color-scheme" content="light dark">' in html


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_switch_sets_a_cookie_and_returns_to_the_page(
    client: Client, loaded_site: None, theme: str
) -> None:
    response = client.post("/theme/", {"theme": theme, "next": "/side-effects/"})
    assert response.status_code == 302 and response.headers["Location"] == "/side-effects/"
    assert response.cookies["theme"].value == theme
    html = client.get("/side-effects/").content.decode()
    assert f'data-theme="{theme}"' in html
    assert f'<button type="submit" name="theme" value="{theme}" aria-pressed="true">' in html


def test_back_to_auto_clears_the_cookie(client: Client, loaded_site: None) -> None:
    client.post("/theme/", {"theme": "dark", "next": "/"})
    client.post("/theme/", {"theme": "auto", "next": "/"})
    assert 'data-theme="auto"' in client.get("/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_switch_never_redirects_off_the_site(client: Client, target: str) -> None:
    response = client.post("/theme/", {"theme": "dark", "next": target})
    assert response.headers["Location"] == "/"


def test_a_forged_cookie_value_is_ignored(client: Client, loaded_site: None) -> None:
    client.cookies["theme"] = '"><script>alert(1)</script>'
    html = client.get("/").content.decode()
    assert 'data-theme="auto"' in html and "<script>alert" not in html


def test_both_themes_come_from_one_set_of_colours_and_no_pure_white_in_the_dark() -> None:
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert ':root[data-theme="dark"] { color-scheme: dark; }' in css
    assert "--bg: light-dark(#f7f5f0, #16181c);" in css
    dark_values = [line.split(",")[1] for line in css.splitlines() if "light-dark(" in line]
    assert all("#fff" not in value.lower() for value in dark_values)
