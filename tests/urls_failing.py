"""A URLconf with broken views, to see the 500 page and the database-outage 503 page."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for the 500-page test")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


urlpatterns = [path("boom/", broken), path("database-down/", database_down)]
handler500 = "ivmt_site.errors.server_error"
