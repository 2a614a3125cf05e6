"""The server-error page, and the "temporarily unavailable" page when the database cannot be reached.

Django calls handler500 while the exception is being handled, so sys.exc_info() says what went wrong. A
database that cannot be reached is an outage, not a bug: the reader gets 503 with Retry-After and the same
static page frame (with the built-in disclaimer), and the site recovers by itself when the database answers
again (connections are health-checked before reuse). Neither page touches the database or shows a traceback.

While this process knows the database does not answer (ivmt_site.postgres.outage), KnownOutageMiddleware gives
that page at once to every request the page cache could not answer, instead of running a view that will fail:
a view's work before its first query, its error page and the log of it cost about 5 ms of CPU a request, and
20 readers asking again and again took both cores of a 2-core server from the pages it could still serve.
"""

import logging
import sys
from collections.abc import Callable
from functools import cache

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from ivmt_site.postgres.outage import DatabaseOutage, outage

RETRY_AFTER_SECONDS = 30
_REFUSED_IN_OUTAGE = "ivmt_refused_in_outage"  # marks a request KnownOutageMiddleware answered


def database_unreachable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


@cache
def _outage_page() -> str:
    """503.html, rendered once per process: it is static (no request, context or database)."""
    return loader.get_template("503.html").render()


def outage_response() -> HttpResponse:
    response = HttpResponse(_outage_page(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # never let a CDN keep an error in place of the page
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unreachable(sys.exc_info()[1]):
        return outage_response()
    response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"
    return response


class KnownOutageMiddleware:
    """The outage page at once while the database is known not to answer. Once the outage's pause is over,
    requests go on to their views, where one at a time tries the database again (outage.check)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if outage.turns_away():
            setattr(request, _REFUSED_IN_OUTAGE, True)
            return outage_response()
        return self.get_response(request)


class QuietDuringOutage(logging.Filter):
    """Drops the log records of requests refused during a known outage (a DatabaseOutage raised, or the
    outage page given by KnownOutageMiddleware, which Django logs as a 503): the outage is logged when it
    begins and when it ends (ivmt_site.postgres.outage), and a traceback for each refused request flooded the
    log (12 MB in 13 s with 20 readers asking) and took most of the CPU those answers cost."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        request = getattr(record, "request", None)
        return not isinstance(error, DatabaseOutage) and not getattr(request, _REFUSED_IN_OUTAGE, False)
