"""`/healthz/`: whether this server can serve readers, for the load balancer in front of several app servers.

It is answered by the first middleware, before anything reads the Host header or redirects to HTTPS: load
balancers probe each server directly, over plain HTTP and often with the server's own address as Host, which
ALLOWED_HOSTS would refuse with a 400 and so take every server out.

200 when the database answers; 503 when it does not (this server can then serve only the pages it has
cached). The shared cache (Redis) is reported but does not fail the check: without it pages are still served
from the database, and a load balancer that took every server out because their shared Redis went away would
turn a slowdown into an outage. Nothing is cached, and nothing about the error is shown.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from articles.web.cache_guard import cache_call

PATH = "/healthz/"
PROBE_KEY = "health-probe"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_answers() -> bool:
    def probe() -> bool:
        cache.set(PROBE_KEY, 1, timeout=60)
        return cache.get(PROBE_KEY) == 1

    return cache_call("health check", probe, fallback=False)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if database_answers() else "unreachable",
        "cache": "ok" if cache_answers() else "unreachable",
    }
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return health(request)
        return self.get_response(request)
