"""Answers given while something they needed could not be reached (the database, for the search results or
the page frame's navigation) are outage answers: correct for that moment only. The view marks the request, and
the page cache (ivmt_site.page_cache) then neither stores the answer nor lets any other cache keep it
(`Cache-Control: no-store`), so nothing serves it after the outage."""

from django.http import HttpRequest

_ATTRIBUTE = "ivmt_degraded"


def mark_degraded(request: HttpRequest) -> None:
    setattr(request, _ATTRIBUTE, True)


def is_degraded(request: HttpRequest) -> bool:
    return getattr(request, _ATTRIBUTE, False)
