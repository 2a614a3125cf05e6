"""The front server (nginx, ivmt_site/front) in front of gunicorn, and hung dependencies, with the real parts:
nginx run as `make serve-prod` runs it, gunicorn in production mode, PostgreSQL and Redis, and a TCP relay the
tests freeze (it keeps connections open and passes nothing, as a hung server or network does)."""

import http.client
import json
import secrets
import shutil
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis

from tests.conftest import content_title
from tests.servers import (
    HOST,
    POSTGRES,
    REDIS,
    Browser,
    Front,
    Gunicorn,
    Relay,
    Response,
    form_values,
    manage,
    port_of,
    postgres_database,
    production_env,
)

pytestmark = pytest.mark.servers

HOW_IT_IS_GIVEN = content_title("how-it-is-given")


@dataclass
class Site:
    env: dict[str, str]
    database_url: str
    root: Path

    def server(self, name: str, **env: str) -> Gunicorn:
        return Gunicorn({**self.env, **env}, self.root / f"{name}.log").start()

    def front(self, name: str, app: Gunicorn) -> Front:
        return Front(self.env, app, self.root / f"nginx-{name}").start()

    def article_pk(self, slug: str) -> int:
        with psycopg.connect(self.database_url) as db:
            row = db.execute("SELECT id FROM articles_article WHERE slug = %s", [slug]).fetchone()
        assert row is not None
        return row[0]

    def cached_pages(self) -> int:
        prefix = self.env["DJANGO_CACHE_KEY_PREFIX"]
        return sum(1 for _ in redis.Redis.from_url(REDIS).scan_iter(f"{prefix}:*page:*"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("front")
    content = root / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    with postgres_database() as name:
        database_url = f"{POSTGRES}/{name}"
        env = production_env(database_url, REDIS, root / "static", root)
        env["DJANGO_CACHE_KEY_PREFIX"] = f"test-{secrets.token_hex(8)}"
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "loadcontent", "--content", str(content), "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        manage(env, "createsuperuser", "--no-input", "--username", "admin", "--email", "admin@example.org")
        yield Site(env, database_url, root)


@pytest.fixture
def running(site: Site) -> Iterator[list[Gunicorn | Front]]:
    """What a test started, stopped at its end (fronts first)."""
    started: list[Gunicorn | Front] = []
    yield started
    for server in sorted(started, key=lambda s: isinstance(s, Gunicorn)):
        server.stop()


def timed(call, *args):  # noqa: ANN001, ANN201 - a small helper for the timing checks
    start = time.monotonic()
    result = call(*args)
    return result, time.monotonic() - start


def get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 30) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        )
        raw = connection.getresponse()
        return Response(raw.status, dict(raw.getheaders()), raw.read().decode(errors="replace"))
    finally:
        connection.close()


def test_the_front_serves_static_files_itself(site: Site, running: list) -> None:
    app = site.server("static")
    front = site.front("static", app)
    running += [app, front]
    css = next(p.name for p in (site.root / "static" / "css").glob("site.*.css") if p.name.count(".") == 2)
    response = get(front.port, f"/static/css/{css}", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers.get("Content-Encoding") == "gzip"
    assert "/static/" not in app.logged()  # gunicorn never saw it


def test_public_pages_are_kept_a_second_and_staff_pages_never(site: Site, running: list) -> None:
    app = site.server("micro")
    front = site.front("micro", app)
    running += [app, front]
    reader = Browser(front)
    first = reader.get("/faq/")
    assert first.status == 200 and first.headers["X-Front-Cache"] in {"MISS", "EXPIRED"}
    assert reader.get("/faq/").headers["X-Front-Cache"] == "HIT"

    # The login page sets a CSRF cookie, and is never_cache: not kept.
    assert get(front.port, "/admin/login/").status == 200
    assert get(front.port, "/admin/login/").headers["X-Front-Cache"] != "HIT"

    staff = Browser(front)
    staff.log_in()
    for _ in range(2):
        admin = staff.get("/admin/")
        assert admin.status == 200 and admin.headers["X-Front-Cache"] == "BYPASS"
        assert "private" in admin.headers["Cache-Control"]
        # A public page, for a signed-in user: straight from the app, never from or into the micro-cache.
        page = staff.get("/faq/")
        assert page.headers["X-Front-Cache"] == "BYPASS"


def test_slow_clients_do_not_stop_other_requests(site: Site, running: list) -> None:
    """16 clients each send one header line a second (gunicorn alone: every thread held); readers still get
    pages at once, because nginx reads each request whole before gunicorn sees it."""
    app = site.server("slow")
    front = site.front("slow", app)
    running += [app, front]
    stop = threading.Event()

    def slow_client() -> None:
        with socket.create_connection(("127.0.0.1", front.port)) as sock:
            sock.sendall(f"GET /glossary/ HTTP/1.1\r\nHost: {HOST}\r\n".encode())
            n = 0
            while not stop.wait(1):
                n += 1
                try:
                    sock.sendall(f"X-Slow-{n}: {n}\r\n".encode())
                except OSError:
                    return

    threads = [threading.Thread(target=slow_client, daemon=True) for _ in range(16)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        for n in range(20):
            # Different searches each time: the app renders every one (nothing is cached yet).
            response, seconds = timed(get, front.port, f"/search/?q=slow{n}", None, 5)
            assert response.status == 200 and seconds < 2, (n, response.status, seconds)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


def test_the_client_address_is_the_fronts_to_say(site: Site, running: list) -> None:
    """X-Forwarded-For sent by a client is overwritten by the front: new forged addresses buy no feedback
    allowance and dodge no login lockout."""
    app = site.server("xff")
    front = site.front("xff", app)
    running += [app, front]
    statuses = []
    for n in range(12):
        connection = http.client.HTTPConnection("127.0.0.1", front.port, timeout=10)
        connection.request(
            "POST",
            "/feedback/",
            body="page=side-effects&helpful=yes",
            headers={
                "Host": HOST,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"198.51.100.{n}",
            },
        )
        statuses.append(connection.getresponse().status)
        connection.close()
    assert statuses == [200] * 10 + [429] * 2

    manage(site.env, "createsuperuser", "--no-input", "--username", "lockme", "--email", "lockme@example.org")
    for _ in range(5):
        attacker = Browser(front)
        page = attacker.get("/admin/login/")
        form = form_values(page.body) | {"username": "lockme", "password": "wrong"}
        attacker.request("POST", "/admin/login/", form)
    attacker = Browser(front)
    form = form_values(attacker.get("/admin/login/").body)
    form |= {"username": "lockme", "password": "a-long-test-password-for-servers"}
    locked = attacker.post("/admin/login/", form)
    assert locked.status in (403, 429), locked.status


def test_unique_query_strings_add_no_cache_entries(site: Site, running: list) -> None:
    app = site.server("query")
    front = site.front("query", app)
    running += [app, front]
    assert get(app.port, "/faq/").status == 200
    before = site.cached_pages()
    for port in (app.port, front.port):
        for _ in range(20):
            response = get(port, f"/faq/?utm_source={secrets.token_hex(8)}")
            assert response.status == 200
    assert site.cached_pages() == before
    # The search's own parameter still makes a page of its own.
    assert "result" in get(app.port, "/search/?q=magnesium").body
    assert site.cached_pages() == before + 1


def test_a_frozen_database_gives_503_pages_fast_and_the_site_recovers(site: Site, running: list) -> None:
    relay = Relay(5432)
    try:
        name = site.database_url.rsplit("/", 1)[1]
        app = site.server("pg-freeze", DATABASE_URL=f"postgres://postgres@127.0.0.1:{relay.port}/{name}")
        front = site.front("pg-freeze", app)
        running += [app, front]
        assert get(front.port, "/").status == 200
        assert get(app.port, "/").status == 200  # in Django's page cache too

        relay.freeze()
        # 20 readers on pages that need the database, at once (the 20 stuck requests).
        with ThreadPoolExecutor(max_workers=20) as pool:
            stuck = [pool.submit(timed, get, front.port, f"/search/?q=frozen{n}") for n in range(20)]
            time.sleep(0.5)
            # Meanwhile cached pages and the health check answer, from the front and from gunicorn itself.
            page, seconds = timed(get, front.port, "/")
            assert page.status == 200 and seconds < 2, seconds
            page, seconds = timed(get, app.port, "/")
            assert page.status == 200 and seconds < 6, seconds
            health, seconds = timed(get, app.port, "/healthz/")
            assert health.status == 503 and seconds < 6, seconds
            assert json.loads(health.body)["database"] == "unreachable"
            answers = [future.result() for future in stuck]
        assert all(response.status == 503 for response, _ in answers), [r.status for r, _ in answers]
        assert max(seconds for _, seconds in answers) < 10, [round(s, 1) for _, s in answers]

        down, seconds = timed(get, front.port, "/glossary/")
        assert down.status == 503 and seconds < 8, seconds
        assert 'id="disclaimer"' in down.body and "not medical advice" in down.body
        assert "no-store" in down.headers["Cache-Control"]
        search = get(front.port, "/search/?q=infusion")  # a search no server has cached
        assert search.status == 503 and "no-store" in search.headers["Cache-Control"]

        # While the outage is known, what no cache holds gets the outage page at once, and the log says that
        # the database stopped answering, not a traceback for each request refused.
        tracebacks = app.logged().count("Traceback")
        with ThreadPoolExecutor(max_workers=8) as pool:
            burst = list(pool.map(lambda n: timed(get, app.port, f"/search/?q=burst{n}"), range(200)))
        assert all(response.status == 503 for response, _ in burst)
        assert 'id="disclaimer"' in burst[0][0].body
        assert statistics.median(seconds for _, seconds in burst) < 0.2
        assert app.logged().count("Traceback") - tracebacks < 10, app.logged()[-3000:]
        assert "PostgreSQL did not answer" in app.logged()

        relay.thaw()
        deadline = time.monotonic() + 15
        while get(front.port, "/glossary/").status != 200:
            assert time.monotonic() < deadline, "the site did not recover within 15 s"
            time.sleep(0.5)
        # Neither outage answer was kept by anyone: the search answers with its results.
        for port in (front.port, app.port):
            search = get(port, "/search/?q=infusion")
            assert search.status == 200 and "not working" not in search.body
        assert get(app.port, "/healthz/").status == 200
        assert "PostgreSQL answers again" in app.logged()
    finally:
        relay.cut()


def test_a_frozen_redis_slows_only_a_request_a_second(site: Site, running: list) -> None:
    relay = Relay(port_of(REDIS) or 6379)
    try:
        app = site.server("redis-freeze", REDIS_URL=f"redis://127.0.0.1:{relay.port}/0")
        running.append(app)
        assert get(app.port, "/side-effects/").status == 200
        relay.freeze()
        times = []
        for path in ["/side-effects/", "/faq/", "/glossary/", "/", "/does-it-work/"] * 4:
            response, seconds = timed(get, app.port, path)
            assert response.status == 200 and 'id="disclaimer"' in response.body
            times.append(seconds)
        assert max(times) < 2.5, times
        assert sorted(times)[len(times) // 2] < 0.5, times  # most requests do not wait on Redis at all
        health = get(app.port, "/healthz/")
        assert health.status == 200 and json.loads(health.body)["cache"] == "unreachable"
        relay.thaw()
        deadline = time.monotonic() + 10
        while json.loads(get(app.port, "/healthz/").body)["cache"] != "ok":
            assert time.monotonic() < deadline, "Redis was not used again within 10 s"
            time.sleep(0.5)
    finally:
        relay.cut()


def test_an_edit_saved_while_redis_is_away_reaches_every_server_without_another_request(
    site: Site, running: list
) -> None:
    relay = Relay(port_of(REDIS) or 6379)
    try:
        saving = site.server("saving", REDIS_URL=f"redis://127.0.0.1:{relay.port}/0")
        other = site.server("other")
        front = site.front("other", other)
        running += [saving, other, front]
        reader = Browser(front)
        assert HOW_IT_IS_GIVEN in reader.get("/how-it-is-given/").body
        editor = Browser(saving)
        editor.log_in()
        change = f"/admin/articles/article/{site.article_pk('how-it-is-given')}/change/"
        form = form_values(editor.get(change).body)

        relay.cut()
        form["title"] = "How IVMT is given (saved while Redis was away)"
        form["_save"] = "Save"
        assert editor.post(change, form).status == 302
        # The other server still has Redis, and its cached page: the change cannot show there yet.
        assert "saved while Redis was away" not in reader.get("/how-it-is-given/").body

        relay.restore()  # and no request to the saving server from here on
        deadline = time.monotonic() + 5
        while "saved while Redis was away" not in reader.get("/how-it-is-given/").body:
            assert time.monotonic() < deadline, "the edit did not reach the other server within 5 s"
            time.sleep(0.25)
    finally:
        relay.cut()


def front_cache_entries(front: Front) -> int:
    return sum(1 for path in (front.folder / "cache").rglob("*") if path.is_file())


def save_article(editor: Browser, site: Site, slug: str, **changes: str) -> None:
    change = f"/admin/articles/article/{site.article_pk(slug)}/change/"
    form = form_values(editor.get(change).body) | changes | {"_save": "Save"}
    saved = editor.post(change, form)
    assert saved.status == 302, saved.body[:2000]


def test_an_edit_or_a_page_taken_down_shows_on_the_first_request_a_second_later(
    site: Site, running: list
) -> None:
    """Only simultaneous requests get the stale copy: the first reader after the second is up waits for the
    fresh page, and a 404 replaces the 200 the front kept. nginx counts whole seconds, so an entry kept "1s"
    may live until the second after next: the checks come 2.1 s after the change."""
    app = site.server("fresh")
    front = site.front("fresh", app)
    running += [app, front]
    editor = Browser(app)
    editor.log_in()
    for _ in range(2):
        assert get(front.port, "/options/").status == 200
    save_article(editor, site, "options", title="Options (edited behind the front)")
    time.sleep(2.1)
    edited = get(front.port, "/options/")
    assert "edited behind the front" in edited.body, edited.headers.get("X-Front-Cache")

    for _ in range(2):
        assert get(front.port, "/cost-and-insurance/").status == 200
    save_article(editor, site, "cost-and-insurance", status="draft")
    time.sleep(2.1)
    taken_down = get(front.port, "/cost-and-insurance/")
    assert taken_down.status == 404, taken_down.headers.get("X-Front-Cache")
    time.sleep(2.1)
    gone = get(front.port, "/cost-and-insurance/")
    assert gone.status == 404, gone.headers.get("X-Front-Cache")


def test_query_strings_only_the_search_reads_add_no_entries(site: Site, running: list) -> None:
    app = site.server("query-q")
    front = site.front("query-q", app)
    running += [app, front]
    for port in (app.port, front.port):
        assert get(port, "/faq/").status == 200
    redis_before, nginx_before = site.cached_pages(), front_cache_entries(front)
    for port in (app.port, front.port):
        for _ in range(10):
            assert get(port, f"/faq/?q={secrets.token_hex(8)}").status == 200
    assert (site.cached_pages(), front_cache_entries(front)) == (redis_before, nginx_before)
    assert get(front.port, "/search/?q=magnesium").status == 200
    assert front_cache_entries(front) == nginx_before + 1


def test_unknown_theme_values_share_the_default_entry(site: Site, running: list) -> None:
    app = site.server("theme")
    front = site.front("theme", app)
    running += [app, front]
    assert get(front.port, "/glossary/").status == 200
    before = front_cache_entries(front)
    for _ in range(10):
        response = get(front.port, "/glossary/", {"Cookie": f"theme={secrets.token_hex(6)}"})
        assert response.status == 200 and response.headers["X-Front-Cache"] != "MISS"
    assert front_cache_entries(front) == before
    assert get(front.port, "/glossary/", {"Cookie": "theme=dark"}).headers["X-Front-Cache"] == "MISS"


def test_requests_that_skip_the_cache_are_rate_limited(site: Site, running: list) -> None:
    """A made-up session cookie skips both caches; past a generous burst, the front answers 429 itself."""
    app = site.server("junk-session")
    front = site.front("junk-session", app)
    running += [app, front]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(lambda _: get(front.port, "/glossary/", {"Cookie": "sessionid=junk"}).status, range(160))
        )
    seconds = time.monotonic() - start
    assert set(statuses) <= {200, 429}, statuses
    assert statuses.count(429) > 0
    assert statuses.count(200) <= 50 + 10 * seconds + 2, (statuses.count(200), seconds)
    # Readers without one are not limited.
    assert all(get(front.port, "/glossary/").status == 200 for _ in range(60))


def test_searches_are_rate_limited(site: Site, running: list) -> None:
    """Each new search reaches the app and its database: a search after search from one address gets 429
    from the front past the same burst; pages without a query string are not limited."""
    app = site.server("search-flood")
    front = site.front("search-flood", app)
    running += [app, front]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda n: get(front.port, f"/search/?q=flood{n}").status, range(160)))
    seconds = time.monotonic() - start
    assert set(statuses) <= {200, 429}, statuses
    assert statuses.count(429) > 0
    assert statuses.count(200) <= 50 + 10 * seconds + 2, (statuses.count(200), seconds)
    assert all(get(front.port, "/side-effects/").status == 200 for _ in range(60))


def test_static_files_carry_vary_and_nosniff(site: Site, running: list) -> None:
    app = site.server("static-headers")
    front = site.front("static-headers", app)
    running += [app, front]
    css = next(p.name for p in (site.root / "static" / "css").glob("site.*.css") if p.name.count(".") == 2)
    response = get(front.port, f"/static/css/{css}", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers.get("Vary") == "Accept-Encoding"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
