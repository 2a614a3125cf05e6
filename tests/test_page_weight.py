"""Each page's HTML plus its CSS, compressed, fits in 14 KB: one network round trip on a slow phone.

Pictures (inline SVG) have a budget of their own on top, 10 KB a page (tests/test_safety_messages.py).
"""

import gzip
import re

import pytest
from django.conf import settings
from django.test import Client

from articles.models import Article

pytestmark = pytest.mark.django_db

BUDGET = 14 * 1024


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))  # what a server's usual gzip setting gives


def test_every_page_fits_one_round_trip(client: Client, loaded_site: None) -> None:
    paths = [a.get_absolute_url() for a in Article.objects.published()]
    paths += ["/faq/", "/glossary/", "/search/?q=magnesium", "/no-such-page/"]
    paths.append("/options/summary/?matters=cost")
    sizes = {}
    for path in paths:
        html = re.sub(rb"<svg.*?</svg>", b"", client.get(path).content, flags=re.S)
        # A print stylesheet (media="print") is not part of the first screen: browsers do not wait for it.
        stylesheets = re.findall(rb'<link rel="stylesheet" href="/static/([^"]+)">', html)
        assert stylesheets, path
        css = b"".join((settings.BASE_DIR / "static" / name.decode()).read_bytes() for name in stylesheets)
        sizes[path] = compressed_size(html) + compressed_size(css)
    over = {path: size for path, size in sizes.items() if size > BUDGET}
    assert over == {}, over


def test_pages_load_no_script_and_nothing_from_elsewhere(client: Client, loaded_site: None) -> None:
    for article in Article.objects.published():
        html = client.get(article.get_absolute_url()).content.decode()
        assert "<script src" not in html and "<script>" not in html  # JSON-LD data only
        # Resources the page loads (not links a reader may follow) all come from the site itself.
        loaded = re.findall(r'<(?:img|script|iframe|link rel="stylesheet")[^>]*?(?:src|href)="([^"]+)"', html)
        assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
