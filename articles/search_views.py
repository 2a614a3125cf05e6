"""The site search page: /search/?q=..."""

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from articles.search import MAX_QUERY_LENGTH, SearchResult
from articles.search import search as run_search
from articles.web.degraded import mark_degraded

logger = logging.getLogger(__name__)

RESULTS_SHOWN = 20


def search(request: HttpRequest) -> HttpResponse:
    # Cut before anything else: the form allows 200 characters, and a hand-made URL may carry far more.
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "").strip()
    results: list[SearchResult] = []
    failed = False
    if query:
        try:
            results = run_search(query, limit=RESULTS_SHOWN)
        except DatabaseError:
            # No input should get here (search() cleans and quotes it), but a reader must still get a page
            # that points them on, not a server error.
            logger.exception("Site search failed for a query of %d characters", len(query))
            failed = True
            mark_degraded(request)  # "search is not working" must never be served from a cache
    context = {"search_query": query, "results": results, "search_failed": failed, "limit": RESULTS_SHOWN}
    return render(request, "articles/search.html", context, status=503 if failed else 200)
