"""A URLconf with one broken view, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for the 500-page test")


urlpatterns = [path("boom/", broken)]
