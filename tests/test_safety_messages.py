"""The content a reader acts on: safety messages written once, a number for every reader, a main message and
a picture on every topic page, and sources that open."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

from articles.models import Article, Reference, SharedBlock
from faq.models import Question

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.CONTENT_DIR)
LOCAL_NUMBERS = "911 or your local emergency number (UK 999, EU 112, Australia 000)"
MAX_REFERENCES_WITHOUT_LINK = 2
PICTURE_BUDGET = 10 * 1024


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_emergency_cards_are_written_only_in_shared_blocks() -> None:
    """A page or answer that hand-copies an emergency card drifts from the one the blocks keep up to date."""
    copied = [
        str(path.relative_to(CONTENT))
        for folder in ("articles", "faq")
        for path in sorted((CONTENT / folder).glob("*.md"))
        if re.search(r"^!!! ?emergency\b", path.read_text(), re.MULTILINE)
    ]
    assert copied == [], f"use {{{{ block drip-emergency }}}} or {{{{ block headache-emergency }}}}: {copied}"


def test_the_drip_emergency_card_names_every_standard_sign(loaded_site: None) -> None:
    card = text_of(SharedBlock.objects.get(slug="drip-emergency").body_html).lower()
    assert "immediate action required:" in card and LOCAL_NUMBERS.lower() in card
    signs = {
        "lips": "lips",
        "tongue": "tongue",
        "throat": "throat",
        "breathing": "breath",
        "wheeze": "wheez",
        "hoarse voice": "hoarse",
        "faint": "faint",
        "pale or blue skin": "blue",
        "hives": "hives",
        "chest pain or tightness": "chest",
        "racing, pounding or uneven heartbeat": "unevenly",
        "after leaving the clinic": "after you leave",
    }
    missing = [sign for sign, words in signs.items() if words not in card]
    assert missing == [], missing


def test_the_headache_emergency_card_names_the_nhs_signs(loaded_site: None) -> None:
    card = text_of(SharedBlock.objects.get(slug="headache-emergency").body_html).lower()
    assert LOCAL_NUMBERS.lower() in card
    signs = ["1 minute", "double vision", "droop", "weak", "numb", "speak", "confus", "seizure", "stiff neck",
             "rash", "head injury"]  # fmt: skip
    assert [sign for sign in signs if sign not in card] == []


def test_pages_that_show_emergency_signs_use_the_shared_cards(loaded_site: None) -> None:
    for record in [*Article.objects.published(), *Question.objects.published()]:
        html = record.body_html if isinstance(record, Article) else record.answer_html
        if "care-card--emergency" in html:
            assert {"drip-emergency", "headache-emergency"} & set(record.shared_blocks), record


def public_pages(client: Client) -> dict[str, str]:
    paths = [article.get_absolute_url() for article in Article.objects.published()]
    paths += ["/faq/", "/glossary/", "/search/?q=magnesium", "/no-such-page/"]
    pages = {path: client.get(path).content.decode() for path in paths}
    topic = topic_pages()[0]
    thanks = client.post("/feedback/", {"page": topic.slug, "helpful": "yes"})
    pages["feedback thanks"] = thanks.content.decode()
    pages.update({name: render_to_string(name) for name in ("500.html", "503.html")})
    return pages


def test_wherever_911_is_named_the_local_numbers_are_too(client: Client, loaded_site: None) -> None:
    pages = public_pages(client)
    for where, html in pages.items():
        text = text_of(html)
        assert "911" in text, where  # every page names a number to call (the disclaimer at least)
        # "911" as a number to call (not page numbers such as "56(6):911-940" in a reference).
        calls = re.finditer(r"(?<![\d:.-])911(?![\d-])", text)
        bare = [m.start() for m in calls if not text.startswith(LOCAL_NUMBERS, m.start())]
        assert bare == [], (where, [text[max(0, i - 40) : i + 60] for i in bare])


def test_every_reference_opens_or_says_why_not(loaded_site: None) -> None:
    unlinked = Reference.objects.filter(url="")
    assert all(reference.link_note for reference in unlinked)
    assert unlinked.count() <= MAX_REFERENCES_WITHOUT_LINK, list(unlinked.values_list("key", flat=True))
    for reference in Reference.objects.exclude(url=""):
        assert reference.url.startswith("https://"), reference.key


def test_a_reference_without_a_link_shows_the_reason(client: Client, loaded_site: None) -> None:
    reference = Reference.objects.get(key="ali2009")
    Reference.objects.filter(pk=reference.pk).update(url="", link_note="The publisher's page is offline.")
    html = client.get("/does-it-work/").content.decode()
    assert "No link: The publisher&#x27;s page is offline." in html


def topic_pages() -> list[Article]:
    return list(Article.objects.published().topics())


def test_every_topic_page_leads_with_its_main_message(client: Client, loaded_site: None) -> None:
    for article in topic_pages():
        assert article.main_message, article.slug
        html = client.get(article.get_absolute_url()).content.decode()
        after_title = html.split("</h1>", 1)[1].lstrip()
        assert after_title.startswith('<p class="main-message">'), article.slug


def test_every_topic_page_has_a_picture_with_a_text_alternative(client: Client, loaded_site: None) -> None:
    for article in topic_pages():
        html = client.get(article.get_absolute_url()).content.decode()
        figures = re.findall(r'<figure class="picture">(.*?)</figure>', html, re.S)
        assert figures, article.slug
        for figure in figures:
            svg = re.search(r"<svg ([^>]*)>", figure)
            assert svg and 'role="img"' in svg.group(1), article.slug
            label = re.search(r'aria-label="([^"]{20,})"', svg.group(1))
            assert label, f"{article.slug}: a picture needs an aria-label that says what it shows"
            assert "<figcaption>" in figure, article.slug
        pictures = "".join(re.findall(r"<svg.*?</svg>", html, re.S)).encode()
        assert len(gzip.compress(pictures, 6)) <= PICTURE_BUDGET, article.slug


def test_a_reference_links_to_its_source_by_the_site_it_opens(client: Client, loaded_site: None) -> None:
    reference = Reference.objects.get(key="ali2009")
    html = client.get("/does-it-work/").content.decode()
    assert f'<a href="{reference.url}" rel="noopener noreferrer">doi.org</a>' in html
