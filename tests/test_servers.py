"""Several app servers, and outages, with the real parts: gunicorn in production mode, PostgreSQL, Redis.

Two gunicorn instances share one PostgreSQL database and one Redis: an edit through one (an admin save, a
`loadcontent`) is on the other's very next request. PostgreSQL going away gives a 503 page with the disclaimer
and the site recovers by itself; Redis going away leaves pages served from the database, with a warning.
"""

import json
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis

from ivmt_site import page_cache
from tests.conftest import content_title
from tests.servers import (
    POSTGRES,
    REDIS,
    Browser,
    Gunicorn,
    Relay,
    form_values,
    manage,
    port_of,
    postgres_database,
    production_env,
)

pytestmark = pytest.mark.servers

SIDE_EFFECTS = content_title("side-effects")


@dataclass
class Site:
    env: dict[str, str]
    database_url: str
    content: Path
    logs: Path

    def server(self, name: str, **env: str) -> Gunicorn:
        return Gunicorn({**self.env, **env}, self.logs / f"{name}.log").start()

    def article_pk(self, slug: str) -> int:
        with psycopg.connect(self.database_url) as db:
            row = db.execute("SELECT id FROM articles_article WHERE slug = %s", [slug]).fetchone()
        assert row is not None
        return row[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One production site: its own PostgreSQL database, loaded from a copy of content/, static files
    collected, a superuser, and a Redis key prefix of its own."""
    root = tmp_path_factory.mktemp("site")
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
        logs = root / "logs"
        logs.mkdir()
        yield Site(env, database_url, content, logs)


@pytest.fixture
def servers(site: Site) -> Iterator[list[Gunicorn]]:
    started: list[Gunicorn] = []
    yield started
    for server in started:
        server.stop()


def cached_pages(site: Site) -> list[bytes]:
    return list(redis.Redis.from_url(REDIS).scan_iter(f"{site.env['DJANGO_CACHE_KEY_PREFIX']}:*page:*"))


def test_an_admin_save_on_one_server_shows_on_the_other_at_once(site: Site, servers: list[Gunicorn]) -> None:
    one, two = site.server("one"), site.server("two")
    servers += [one, two]
    reader = Browser(two)
    before = reader.get("/side-effects/")
    assert before.status == 200 and SIDE_EFFECTS in before.body
    assert reader.get("/side-effects/").body == before.body
    assert cached_pages(site), "the page was not stored in Redis"

    editor = Browser(one)
    editor.log_in()
    change = f"/admin/articles/article/{site.article_pk('side-effects')}/change/"
    form = form_values(editor.get(change).body)
    assert form["title"] == SIDE_EFFECTS
    form["title"] = f"{SIDE_EFFECTS} (edited on server one)"
    form["_save"] = "Save"
    saved = editor.post(change, form)
    assert saved.status == 302, saved.body[:3000]

    after = reader.get("/side-effects/")
    assert f"{SIDE_EFFECTS} (edited on server one)" in after.body
    assert after.headers["ETag"] != before.headers["ETag"]
    # and every other page's navigation too, on both servers
    assert f"{SIDE_EFFECTS} (edited on server one)" in Browser(two).get("/faq/").body
    assert f"{SIDE_EFFECTS} (edited on server one)" in Browser(one).get("/").body


def test_loadcontent_shows_on_every_server_at_once(site: Site, servers: list[Gunicorn]) -> None:
    one, two = site.server("one"), site.server("two")
    servers += [one, two]
    for server in (one, two):
        assert "Is IVMT safe while I am pregnant?" not in Browser(server).get("/faq/").body
        Browser(server).get("/faq/")  # now cached
    answer = site.content / "faq" / "can-i-have-it-pregnant.md"
    text = answer.read_text()
    question = next(line for line in text.splitlines() if line.startswith("question:"))
    answer.write_text(text.replace(question, "question: Is IVMT safe while I am pregnant?"))
    manage(site.env, "loadcontent", "--content", str(site.content), "-v0")
    for server in (one, two):
        assert "Is IVMT safe while I am pregnant?" in Browser(server).get("/faq/").body


def test_postgresql_going_away_gives_a_503_page_and_the_site_recovers(
    site: Site, servers: list[Gunicorn]
) -> None:
    relay = Relay(5432)
    try:
        name = site.database_url.rsplit("/", 1)[1]
        server = site.server("pg-outage", DATABASE_URL=f"postgres://postgres@127.0.0.1:{relay.port}/{name}")
        servers.append(server)
        reader = Browser(server)
        assert reader.get("/").status == 200

        assert json.loads(reader.get("/healthz/").body) == {"database": "ok", "cache": "ok"}

        relay.cut()
        # A page already in the cache is still served: no database needed.
        assert reader.get("/").status == 200
        # The load balancer is told this server cannot serve everything.
        health = reader.get("/healthz/")
        assert health.status == 503 and json.loads(health.body) == {"database": "unreachable", "cache": "ok"}
        # One that is not gets the outage page, with the disclaimer and nothing of the error.
        down = reader.get("/glossary/")
        assert down.status == 503
        assert down.headers["Retry-After"] == "30"
        assert "This page is not available right now" in down.body
        assert 'id="disclaimer"' in down.body and "not medical advice" in down.body
        assert "Traceback" not in down.body and str(relay.port) not in down.body
        assert "OperationalError" not in down.body

        relay.restore()
        back = reader.get("/glossary/")
        assert back.status == 200
        assert reader.get("/healthz/").status == 200
        assert "Glossary" in back.body
    finally:
        relay.cut()


def test_redis_going_away_leaves_pages_served_from_the_database(site: Site, servers: list[Gunicorn]) -> None:
    relay = Relay(port_of(REDIS) or 6379)
    try:
        server = site.server("redis-outage", REDIS_URL=f"redis://127.0.0.1:{relay.port}/0")
        servers.append(server)
        reader = Browser(server)
        assert reader.get("/side-effects/").status == 200

        relay.cut()
        for path in ["/side-effects/", "/faq/", "/search/?q=magnesium"]:
            page = reader.get(path)
            assert page.status == 200, path
            assert 'id="disclaimer"' in page.body
        assert "Cache unavailable" in server.logged()
        # Pages are still served, so the server stays in the load balancer, saying what is missing.
        health = reader.get("/healthz/")
        assert health.status == 200 and json.loads(health.body) == {"database": "ok", "cache": "unreachable"}

        relay.restore()
        assert reader.get("/glossary/").status == 200
    finally:
        relay.cut()


def test_an_edit_made_while_redis_is_away_shows_as_soon_as_it_returns(
    site: Site, servers: list[Gunicorn]
) -> None:
    """The edit could not tell Redis that content changed. The server tells it on its first request after
    Redis answers again, so pages cached before the outage are not served for the rest of their lifetime."""
    relay = Relay(port_of(REDIS) or 6379)
    try:
        server = site.server("redis-edit", REDIS_URL=f"redis://127.0.0.1:{relay.port}/0")
        servers.append(server)
        reader = Browser(server)
        before = reader.get("/how-it-is-given/")
        assert before.status == 200 and reader.get("/how-it-is-given/").body == before.body  # now cached
        editor = Browser(server)
        editor.log_in()

        relay.cut()
        change = f"/admin/articles/article/{site.article_pk('how-it-is-given')}/change/"
        form = form_values(editor.get(change).body)
        form["title"] = "How IVMT is given (edited while Redis was away)"
        form["_save"] = "Save"
        assert editor.post(change, form).status == 302

        relay.restore()
        time.sleep(page_cache.RETRY_SECONDS)  # an outage lasts longer than the pause between retries
        assert "edited while Redis was away" in reader.get("/how-it-is-given/").body
    finally:
        relay.cut()


def test_loadcontent_says_when_it_could_not_drop_the_cached_pages(site: Site) -> None:
    relay = Relay(port_of(REDIS) or 6379)
    try:
        relay.cut()
        answer = site.content / "faq" / "does-it-hurt.md"
        answer.write_text(answer.read_text().rstrip("\n") + " Ask the staff to stop if it hurts.\n")
        output = manage(
            {**site.env, "REDIS_URL": f"redis://127.0.0.1:{relay.port}/0"},
            "loadcontent",
            "--content",
            str(site.content),
        )
        assert "questions: 0 created, 1 updated" in output
        assert "warning: the cache (Redis) could not be reached to drop the cached pages" in output
    finally:
        relay.cut()
