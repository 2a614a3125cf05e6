"""Whole-page cache for public pages, shared by every worker and server through Redis in production.

A cached page is stored under the current *content version*. Any change to content (an admin save, a history
restore, `loadcontent`) sets a new version once its transaction commits, so every server's very next request
misses and renders afresh; old entries are never read again and age out. Reader feedback is not content and
leaves the version alone.

The middleware sits before the session, CSRF and authentication middleware, so a hit costs no database query
and, usually, no Redis round trip: the version is watched (ivmt_site.version_watch) and the page itself comes
from this process's memory (RecentPages), both checked against Redis's current version.

Only anonymous GET/HEAD requests are served from the cache or stored, and only 200 answers that set no cookie
and did not ask to stay uncached (never_cache). Outage answers (articles.web.degraded) are sent with
`Cache-Control: no-store` and never stored. The key carries the host, the path, the query parameters a cached
page reads (PAGE_QUERY_PARAMETERS, by page: any other, such as a tracking tag or a random string, is left
out, so it neither misses the cache nor adds an entry) and the reader's theme, because the page's markup
depends on them.

The cache is an optimisation: when it cannot be reached, pages are rendered from the database as if it were
empty, and a warning is logged (articles.web.cache_guard).
"""

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, urlencode

from articles.registry import page_sources
from articles.signals import changes_will_be_rolled_back
from articles.theme import theme_of
from articles.web.cache_guard import cache_call
from articles.web.degraded import is_degraded
from ivmt_site.version_watch import VersionWatch

VERSION_KEY = "content-version"
# The query parameters each cached page reads, by URL name: only the search page's `q`
# (articles.search_views). A view that reads another must be never_cache (as the decision aid's summary is),
# or be named here. Any other parameter, on any page, is left out of the key; the front server's micro-cache
# (ivmt_site/front) does not keep a request that carries one.
PAGE_QUERY_PARAMETERS: dict[str, frozenset[str]] = {"articles:search": frozenset({"q"})}


def query_parameters_by_path() -> dict[str, frozenset[str]]:
    """PAGE_QUERY_PARAMETERS by path, as requests arrive. A page the URL configuration does not have (a
    site configured without search) reads nothing: the cache must never turn a request into an error."""
    paths = {}
    for name, parameters in PAGE_QUERY_PARAMETERS.items():
        try:
            paths[reverse(name)] = parameters
        except NoReverseMatch:
            continue
    return paths


_watches: dict[tuple[str, str], VersionWatch] = {}


def version_watch() -> VersionWatch | None:
    """This process's watch on the version key, when the cache is Redis (with local memory there is nothing to
    watch: the process holds the version itself)."""
    config = settings.CACHES["default"]
    if config["BACKEND"] != "ivmt_site.redis_cache.RedisCache" or not isinstance(config["LOCATION"], str):
        return None
    where = (config["LOCATION"], cache.make_key(VERSION_KEY))
    watch = _watches.get(where)
    if watch is None:
        watch = _watches.setdefault(where, VersionWatch(*where))
    return watch


def content_version() -> int | None:
    """The current content version: nanoseconds since the epoch when content last changed (or was first seen).

    With Redis, this process's VersionWatch knows it without a round trip. Otherwise (or when the watch
    cannot say) one read; when the key is missing, add() makes the first writer win if several servers start
    at once. None when the cache is unreachable.
    """

    # An int: Django's Redis backend stores ints as they are, without pickling, and this is read per request.
    def read() -> int:
        version = cache.get(VERSION_KEY)
        if isinstance(version, int):
            return version
        if version is None:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        else:  # a value this code did not write (an older release's): replace it rather than fail
            cache.set(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
        return version if isinstance(version, int) else time.time_ns()

    watch = version_watch()
    watched = watch.current() if watch is not None else None
    return watched if watched is not None else cache_call("read content version", read, None)


# Whether this process changed content but could not set a new version (the cache was unreachable). While the
# cache is away no server can read the version, so every page is rendered afresh; once it answers again, the
# new version must be set at once, or the other servers would go on serving pages cached before the change.
# A thread of this process retries every RETRY_SECONDS until it succeeds, whether or not this process serves
# any request meanwhile. The lock orders each write with its outcome: a later successful write covers an
# earlier failed one.
_version_lock = threading.Lock()
_unannounced_change = False
_retrying: threading.Thread | None = None
RETRY_SECONDS = 1.0


def _write_new_version(*, even_if_paused: bool = False) -> None:
    """Set a new version; the caller holds _version_lock."""
    global _unannounced_change

    def write() -> bool:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
        return True

    _unannounced_change = not cache_call("set content version", write, False, even_if_paused=even_if_paused)
    watch = version_watch()
    if watch is not None:
        watch.expire()  # this process's next request reads it, without waiting for Redis's push
    if _unannounced_change:
        _retry_in_background()


def _retry_in_background() -> None:
    global _retrying
    if _retrying is None or not _retrying.is_alive():
        _retrying = threading.Thread(target=_retry_until_announced, name="content-version-retry", daemon=True)
        _retrying.start()


def _retry_until_announced() -> None:
    while True:
        time.sleep(RETRY_SECONDS)
        with _version_lock:
            if not _unannounced_change:
                return
            _write_new_version(even_if_paused=True)
            if not _unannounced_change:
                return


def new_content_version() -> None:
    with _version_lock:
        _write_new_version()


def change_unannounced() -> bool:
    """Whether a content change made here has not reached the cache yet (see `_unannounced_change`)."""
    return _unannounced_change


def content_changed() -> None:
    """Drop every cached page, on all servers: now, and again when the current transaction commits.

    The second time matters: between the first and the commit another server may render the old content and
    store it under the new version. The first makes the change show at once within the transaction's own
    process. A dry run (articles.signals.rolled_back_changes) changes nothing: it drops nothing.
    """
    if changes_will_be_rolled_back():
        return
    new_content_version()
    transaction.on_commit(new_content_version)


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    headers: dict[str, str]
    last_modified: int  # seconds since the epoch

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers.items():
            response[name] = value
        return response


class RecentPages:
    """This process's copies of pages it served lately, in front of the shared cache.

    Entries are keyed by content version like the shared ones, so a copy is only used while the version read
    from the shared cache (on every request) still matches: a change on any server is seen at once. It saves
    fetching and unpickling the page from Redis on each hit. Oldest entries go first past `size`, and none is
    used after PAGE_CACHE_TIMEOUT, like the shared entries (the bound on an edit made while Redis was away).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: dict[str, tuple[float, CachedPage]] = {}
        self._lock = threading.Lock()  # gthread workers serve several requests at once

    def get(self, key: str) -> CachedPage | None:
        entry = self._pages.get(key)
        if entry is None or time.monotonic() - entry[0] > settings.PAGE_CACHE_TIMEOUT:
            return None
        return entry[1]

    def put(self, key: str, page: CachedPage) -> None:
        with self._lock:
            self._pages.pop(key, None)  # re-inserted at the end: the newest
            self._pages[key] = (time.monotonic(), page)
            while len(self._pages) > self.size:
                del self._pages[next(iter(self._pages))]

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


recent_pages = RecentPages(size=256)


def page_address(request: HttpRequest) -> str:
    """The path and the query parameters a cached page reads, each as the view reads it (the last value)."""
    read = query_parameters_by_path().get(request.path, frozenset())
    used = sorted((name, request.GET[name]) for name in read if name in request.GET)
    return f"{request.path}?{urlencode(used)}" if used else request.path


def page_key(request: HttpRequest, version: int) -> str:
    where = hashlib.sha256(f"{request.get_host()}\n{page_address(request)}".encode()).hexdigest()
    return f"page:{version}:{theme_of(request)}:{where}"


def may_use_cache(request: HttpRequest) -> bool:
    """Anonymous reads only. Anyone with a session cookie may be staff; staff never share a cached page."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def may_store(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response  # views that set their own (never_cache) keep them
        and not (user is not None and user.is_authenticated)
    )


def public_headers(response: HttpResponse) -> None:
    """ETag and Cache-Control for a page anyone may see: browsers check back every time (a 304 is cheap),
    shared caches such as a CDN may keep it PAGE_CACHE_SHARED_MAX_AGE seconds. Vary: Cookie because the theme
    cookie changes the markup."""
    set_response_etag(response)
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])


def stored_headers(response: HttpResponse) -> dict[str, str]:
    return dict(response.items())


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_use_cache(request):
            return self.private(request, self.get_response(request))
        version = content_version()
        key = page_key(request, version) if version else None
        cached = self.cached_page(key) if key else None
        if cached is not None:
            return self.answer(request, cached.response(), cached.last_modified)

        response = self.get_response(request)
        if is_degraded(request):
            add_never_cache_headers(response)  # no-store: no cache anywhere may keep an outage answer
        if not may_store(request, response):
            return self.private(request, response)
        public_headers(response)
        # The version is when content last changed, which is when this page's text last could have.
        last_modified = version // 1_000_000_000 if version else int(time.time())
        response["Last-Modified"] = http_date(last_modified)
        if key:
            page = CachedPage(response.content, stored_headers(response), last_modified)
            recent_pages.put(key, page)
            cache_call("store page", lambda: cache.set(key, page, timeout=settings.PAGE_CACHE_TIMEOUT), None)
        return self.answer(request, response, last_modified)

    @staticmethod
    def cached_page(key: str) -> CachedPage | None:
        page = recent_pages.get(key)
        if page is None:
            page = cache_call("read page", lambda: cache.get(key), None)
            if page is not None:
                recent_pages.put(key, page)
        return page

    @staticmethod
    def answer(request: HttpRequest, response: HttpResponse, last_modified: int) -> HttpResponse:
        """The page, or 304 Not Modified when the client's copy (If-None-Match/If-Modified-Since) is fresh."""
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )

    @staticmethod
    def private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Nothing a signed-in user sees may be kept by a shared cache."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        return response


def on_content_saved(sender: type, **_: Any) -> None:
    """Receiver of every post_save and post_delete: a change to a model pages are built from (see
    articles.registry.page_sources, read at each save so that a kind registered by any app counts) drops
    the cached pages."""
    if sender in page_sources():
        content_changed()


def on_content_loaded(**_: Any) -> bool:
    """Receiver of articles.signals.content_loaded: drops every cached page; False when the change could not
    reach the cache (loadcontent then warns that old pages may be served for a while)."""
    content_changed()
    return not change_unannounced()
