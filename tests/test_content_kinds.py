"""A new kind of content, declared in its own app (tests.kind_app) and nowhere else, is loaded, checked,
exported back byte for byte, found by search and shown on the dashboard: every part reads the registry."""

from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.editorial.dashboard import review_dashboard
from articles.models import Status
from articles.registry import content_kinds, kind_of
from articles.search import search
from tests.kind_app.models import Leaflet

pytestmark = pytest.mark.django_db(transaction=False)

Load = Callable[..., str]

LEAFLET = """---
title: What to bring to a drip appointment
status: {status}
---
Bring a list of your medicines and something to read.[@ali2009] The drip takes about an hour.
"""


def with_leaflet(root: Path, status: str = "published") -> Path:
    (root / "leaflets").mkdir()
    (root / "leaflets" / "what-to-bring.md").write_text(LEAFLET.format(status=status))
    return root


def test_the_test_app_registered_its_kind_after_the_sites_own() -> None:
    assert kind_of(Leaflet).body_field == "body"
    assert [kind.model for kind in content_kinds()][-1] is Leaflet  # a body that may use shared blocks


def test_a_new_kind_loads_with_its_body_rendered_and_checked(minimal_content: Path, load: Load) -> None:
    output = load(with_leaflet(minimal_content))
    assert "leaflets: 1 created" in output
    leaflet = Leaflet.objects.get(slug="what-to-bring")
    assert leaflet.title == "What to bring to a drip appointment"
    assert leaflet.reference_keys == ["ali2009"]  # its citation was numbered like a page's
    assert 'href="#ref-ali2009"' in leaflet.body_html


def test_a_new_kinds_broken_file_is_refused_with_its_place(minimal_content: Path, load: Load) -> None:
    root = with_leaflet(minimal_content, status="live")
    err = StringIO()
    with pytest.raises(Exception, match="nothing was loaded"):
        call_command("loadcontent", "--content", str(root), stdout=StringIO(), stderr=err)
    assert "leaflets/what-to-bring.md: front matter: 'status' must be one of" in err.getvalue()
    assert not Leaflet.objects.exists()


def test_a_new_kind_exports_back_byte_for_byte(minimal_content: Path, load: Load, tmp_path: Path) -> None:
    load(with_leaflet(minimal_content))
    call_command("exportcontent", "--output", str(tmp_path / "export"), stdout=StringIO())
    exported = tmp_path / "export" / "leaflets" / "what-to-bring.md"
    assert exported.read_bytes() == (minimal_content / "leaflets" / "what-to-bring.md").read_bytes()


def test_a_new_kind_is_found_by_search(minimal_content: Path, load: Load) -> None:
    load(with_leaflet(minimal_content))
    results = search("medicines")
    assert [(result.kind, result.url) for result in results] == [("leaflet", "/leaflets/what-to-bring/")]
    assert "<mark>medicines</mark>" in results[0].snippet_html


def test_a_new_kind_waiting_for_review_is_on_the_dashboard(minimal_content: Path, load: Load) -> None:
    load(with_leaflet(minimal_content, status=Status.IN_REVIEW))
    waiting = review_dashboard(today=date(2026, 11, 29)).waiting
    assert [(item.label, item.title) for item in waiting] == [
        ("Leaflet", "What to bring to a drip appointment")
    ]


def test_saving_a_new_kinds_record_drops_the_cached_pages(
    minimal_content: Path, load: Load, client: Client
) -> None:
    load(with_leaflet(minimal_content))
    client.get("/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/")
    assert len(cached) == 0  # served from the page cache
    leaflet = Leaflet.objects.get()
    leaflet.title = "What to bring"
    leaflet.save()
    with CaptureQueriesContext(connection) as after_save:
        client.get("/")
    assert len(after_save) > 0  # the page cache was dropped: the page is built again
