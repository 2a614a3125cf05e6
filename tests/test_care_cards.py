"""Care cards and warning callouts: screen-reader prefixes, the one sanitizer, on the pages that need them."""

import pytest
from django.test import Client

from articles.rendering.care_cards import card_problems
from articles.rendering.renderer import render_markdown
from tests.xss_corpus import assert_neutralised

pytestmark = pytest.mark.django_db

LEVELS = [
    ("non-urgent", "care-card--non-urgent", "Non-urgent advice: "),
    ("urgent", "care-card--urgent", "Urgent advice: "),
    ("emergency", "care-card--emergency", "Immediate action required: "),
    ("warning", "callout--warning", "Important: "),
]


@pytest.mark.parametrize(("level", "css_class", "prefix"), LEVELS)
def test_each_level_renders_with_its_screen_reader_prefix(level: str, css_class: str, prefix: str) -> None:
    html = render_markdown(f'!!! {level} "Do this if:"\n    - a sign\n')
    assert f'class="{css_class.split("--")[0]} {css_class}"' in html
    assert (
        f'<h3 class="care-card__heading"><span class="visually-hidden">{prefix}</span>Do this if:</h3>'
        in html
    )
    assert "<li>a sign</li>" in html


def test_hostile_markup_inside_a_card_is_neutralised() -> None:
    html = render_markdown(
        '!!! emergency "Call <img src=x onerror=alert(1)> now"\n'
        "    <script>alert(1)</script> [x](javascript:alert(1))\n"
        '    <div class="care-card evil" onclick="alert(1)">y</div>\n'
    )
    assert_neutralised(html)
    assert "evil" not in html
    assert "Immediate action required: " in html


def test_authors_cannot_forge_other_classes() -> None:
    html = render_markdown(
        '<span class="visually-hidden other">x</span><div class="admonition danger">y</div>'
    )
    assert "other" not in html and "admonition" not in html


def test_malformed_cards_are_reported_with_their_line() -> None:
    text = 'Intro\n\n!!! danger "Run"\n    x\n\n!!! urgent\n    y\n'
    assert card_problems(text) == [
        (3, "care card level 'danger' is not one of non-urgent, urgent, emergency, warning, inset, details"),
        (6, 'care card needs a heading in quotes: !!! urgent "Get help today if you:"'),
    ]


@pytest.mark.parametrize("path", ["/", "/side-effects/"])
def test_home_and_side_effects_say_when_to_call_911(client: Client, loaded_site: None, path: str) -> None:
    html = client.get(path).content.decode()
    cards = [part[: part.index("</div></div>")] for part in html.split("care-card--emergency")[1:]]
    assert all("Immediate action required: " in card for card in cards)
    assert all("911 or your local emergency number (UK 999, EU 112, Australia 000)" in card for card in cards)
    assert any("breath" in card.lower() for card in cards)  # a severe reaction to the drip
    assert any("1 minute" in card.lower() for card in cards)  # a thunderclap headache
