"""Production mode, run as production runs: `check --deploy`, `collectstatic` and gunicorn, each in a fresh
process with production settings, a SQLite database and STATIC_ROOT in a temporary folder."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "ivmt.example.org"


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "ivmt_site.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "staticfiles"),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        # Keys of this test's own, so runs sharing the Redis never see each other's pages.
        "DJANGO_CACHE_KEY_PREFIX": f"test-{secrets.token_hex(8)}",
    }


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_check_deploy_finds_no_issues(production_env: dict[str, str]) -> None:
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING", timeout=60)
    assert "no issues" in result.stdout + result.stderr


def test_collectstatic_writes_hashed_compressed_files(production_env: dict[str, str]) -> None:
    manage(production_env, "collectstatic", "--no-input", "-v0")
    css = Path(production_env["DJANGO_STATIC_ROOT"]) / "css"
    hashed = [p for p in css.glob("site.*.css") if p.name != "site.css"]
    assert hashed, sorted(p.name for p in css.iterdir())
    compressed = [p for p in css.iterdir() if p.name.startswith("site.") and p.suffix in {".gz", ".br"}]
    assert compressed, sorted(p.name for p in css.iterdir())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    port = free_port()
    env = {
        **production_env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "HOME": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "ivmt_site/gunicorn.conf.py", "ivmt_site.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            try:
                status, headers, body = get(port, "/", {"X-Forwarded-Proto": "https"})
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 seconds"
                time.sleep(0.2)
        assert status == 200
        assert '<section id="disclaimer"' in body and "Medical disclaimer" in body
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

        # Plain HTTP (no proxy header) is sent to HTTPS.
        status, headers, _ = get(port, "/", {})
        assert status == 301
        assert headers["Location"] == f"https://{HOST}/"

        # The stylesheet comes from WhiteNoise under its hashed name, compressed when the client accepts it.
        css = next(p.name for p in (Path(env["DJANGO_STATIC_ROOT"]) / "css").glob("site.*.css"))
        status, headers, _ = get(port, f"/static/css/{css}", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        assert not (tmp_path / ".gunicorn").exists()  # no control socket was opened
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        if server.stdout:
            server.stdout.close()
