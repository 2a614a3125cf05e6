"""The printable handout a patient takes to their doctor."""

import re

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

HANDOUT = "/questions-for-your-doctor/"


def test_the_handout_has_questions_risks_and_references(client: Client, loaded_site: None) -> None:
    html = client.get(HANDOUT).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("?</li>") >= 8  # the questions
    assert 'id="references"' in main
    for key in ("ali2009", "gaby2002"):
        assert f'id="ref-{key}"' in main
    assert 'id="disclaimer"' in html


def test_the_handout_fits_about_one_printed_page(client: Client, loaded_site: None) -> None:
    html = client.get(HANDOUT).content.decode()
    body = html[html.index("<h1") : html.index('id="references"')]
    words = len(re.sub(r"<[^>]+>", " ", body).split())
    assert words <= 550, words


def test_the_print_stylesheet_hides_navigation_and_keeps_the_disclaimer() -> None:
    print_rules = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    hidden = print_rules.split("display: none")[0]
    assert "#site-nav" in hidden and ".site-footer" not in hidden and ".disclaimer" not in hidden


def test_the_handout_is_reachable_from_home_and_the_doctor_questions(
    client: Client, loaded_site: None
) -> None:
    assert f'href="{HANDOUT}"' in client.get("/").content.decode()
    assert f'href="{HANDOUT}"' in client.get("/faq/").content.decode()
