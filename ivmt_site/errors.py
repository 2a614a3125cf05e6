"""The server-error page, and the "temporarily unavailable" page when the database cannot be reached.

Django calls handler500 while the exception is being handled, so sys.exc_info() says what went wrong. A
database that cannot be reached is an outage, not a bug: the reader gets 503 with Retry-After and the same
static page frame (with the built-in disclaimer), and the site recovers by itself when the database answers
again (connections are health-checked before reuse). Neither page touches the database or shows a traceback.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

RETRY_AFTER_SECONDS = 30


def database_unreachable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"  # never let a CDN keep an error in place of the page
    return response
