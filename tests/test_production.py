"""Production mode, run as production runs: `check --deploy`, `collectstatic` and gunicorn, each in a fresh
process with production settings, a SQLite database and STATIC_ROOT in a temporary folder."""

import http.client
import json
import secrets
from pathlib import Path

import pytest

from tests import servers
from tests.servers import HOST, Gunicorn, manage


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    env = servers.production_env(
        f"sqlite:///{tmp_path / 'db.sqlite3'}", servers.REDIS, tmp_path / "staticfiles", tmp_path
    )
    # Keys of this test's own, so runs sharing the Redis never see each other's pages.
    return {**env, "DJANGO_CACHE_KEY_PREFIX": f"test-{secrets.token_hex(8)}"}


def test_check_deploy_finds_no_issues(production_env: dict[str, str]) -> None:
    assert "no issues" in manage(production_env, "check", "--deploy", "--fail-level", "WARNING", timeout=60)


def test_collectstatic_writes_hashed_compressed_files(production_env: dict[str, str]) -> None:
    manage(production_env, "collectstatic", "--no-input", "-v0")
    css = Path(production_env["DJANGO_STATIC_ROOT"]) / "css"
    hashed = [p for p in css.glob("site.*.css") if p.name != "site.css"]
    assert hashed, sorted(p.name for p in css.iterdir())
    compressed = [p for p in css.iterdir() if p.name.startswith("site.") and p.suffix in {".gz", ".br"}]
    assert compressed, sorted(p.name for p in css.iterdir())


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": HOST, **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def test_gunicorn_serves_the_site_behind_a_tls_proxy(production_env: dict[str, str], tmp_path: Path) -> None:
    manage(production_env, "migrate", "--no-input", "-v0")
    manage(production_env, "loadcontent", "-v0")
    manage(production_env, "collectstatic", "--no-input", "-v0")
    server = Gunicorn(production_env, tmp_path / "gunicorn.log").start()
    port = server.port
    try:
        status, headers, body = get(port, "/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert '<section id="disclaimer"' in body and "Medical disclaimer" in body
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

        # Plain HTTP (no proxy header) is sent to HTTPS.
        status, headers, _ = get(port, "/", {})
        assert status == 301
        assert headers["Location"] == f"https://{HOST}/"

        # The load balancer's health check comes over plain HTTP, straight to gunicorn, with the server's own
        # address as Host (not an allowed host): it is answered, not refused or redirected, and never cached.
        status, headers, body = get(port, "/healthz/", {"Host": "10.0.0.7:8000"})
        assert status == 200, body
        assert json.loads(body) == {"database": "ok", "cache": "ok"}
        assert "no-store" in headers["Cache-Control"]
        assert get(port, "/", {"Host": "10.0.0.7:8000", "X-Forwarded-Proto": "https"})[0] == 400

        # The stylesheet comes from WhiteNoise under its hashed name, compressed when the client accepts it.
        css = next(p.name for p in (Path(production_env["DJANGO_STATIC_ROOT"]) / "css").glob("site.*.css"))
        status, headers, _ = get(port, f"/static/css/{css}", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        assert not (tmp_path / ".gunicorn").exists()  # no control socket was opened
    finally:
        server.stop()
