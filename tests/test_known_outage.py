"""While a process knows the database does not answer (ivmt_site.postgres.outage), requests no cache answers
get the outage page at once, without a view or a query, and the log says so once, not once a request. The
real frozen database, behind the front and gunicorn, is in test_front.py."""

import logging
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client

from ivmt_site.errors import KnownOutageMiddleware, QuietDuringOutage
from ivmt_site.postgres.outage import DatabaseOutage, outage


@pytest.fixture
def known_outage(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(outage, "seconds", 60.0)
    outage.begin()
    yield
    outage.end()


@pytest.mark.django_db
def test_requests_get_the_outage_page_without_asking_the_database(
    known_outage: None, client: Client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        response = client.get("/search/?q=magnesium")
    assert response.status_code == 503
    assert response["Retry-After"] and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "not available right now" in body and 'id="disclaimer"' in body
    # The headers every answer carries, as the 503 page had when a view raised the error.
    assert "default-src" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_past_the_pause_a_request_tries_the_database_again(
    loaded_site: None, client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(outage, "seconds", 0.0)
    with caplog.at_level(logging.WARNING, logger="ivmt_site.postgres.outage"):
        outage.begin()
        response = client.get("/search/?q=magnesium")
        assert response.status_code == 200 and "magnesium" in response.content.decode().lower()
        outage.end()  # what the backend does when a query succeeds
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("PostgreSQL did not answer")
    assert messages[1].startswith("PostgreSQL answers again")
    assert not outage.turns_away()


def test_outage_check_refuses_within_the_pause_and_lets_one_caller_try_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(outage, "seconds", 60.0)
    outage.begin()
    try:
        with pytest.raises(DatabaseOutage):
            outage.check()
        monkeypatch.setattr(outage, "_until", 1.0)  # the pause is over
        outage.check()  # this caller tries
        with pytest.raises(DatabaseOutage):  # and the next waits another pause
            outage.check()
    finally:
        outage.end()


def test_refused_requests_leave_no_log_records(known_outage: None, rf) -> None:
    quiet = QuietDuringOutage()

    def view_not_run(request: HttpRequest) -> HttpResponse:
        raise AssertionError("the view ran during a known outage")

    refused = rf.get("/glossary/")
    assert KnownOutageMiddleware(view_not_run)(refused).status_code == 503
    with pytest.raises(DatabaseOutage) as raised:
        outage.check()

    def record(**extra: object) -> logging.LogRecord:
        made = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Service Unavailable", (), None
        )
        made.__dict__.update(extra)
        return made

    assert not quiet.filter(record(request=refused, status_code=503))
    assert not quiet.filter(record(exc_info=(DatabaseOutage, raised.value, None)))
    # Anything else is logged as before: a request a view answered, a bug.
    assert quiet.filter(record(request=rf.get("/glossary/"), status_code=503))
    assert quiet.filter(record(exc_info=(ValueError, ValueError("a bug"), None)))
