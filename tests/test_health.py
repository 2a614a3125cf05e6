"""`/healthz/` for the load balancer: the outage cases run against real servers in test_servers.py and
test_production.py; here, what it answers, and that it is never kept by a cache."""

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.conftest import article_file

pytestmark = pytest.mark.django_db


def test_the_health_check_reports_database_and_cache(client: Client) -> None:
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_the_health_check_asks_the_database_every_time(
    client: Client, django_assert_num_queries: Callable
) -> None:
    client.get("/healthz/")
    with django_assert_num_queries(1):  # its own SELECT 1: never answered from the page cache
        assert client.get("/healthz/").status_code == 200


def test_no_page_can_take_the_health_check_address(minimal_content: Path) -> None:
    (minimal_content / "articles" / "healthz.md").write_text(article_file("Health", "Text."))
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("loadcontent", "--content", str(minimal_content), stdout=StringIO(), stderr=errors)
    assert "slug 'healthz' is taken by the site's own /healthz/ page" in errors.getvalue()
