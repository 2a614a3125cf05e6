"""Settings come from the environment; production mode refuses to start without what it needs."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "ivmt.example.org",
    "DATABASE_URL": "sqlite:////tmp/ivmt-settings-test.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1])"
    )
    # A fresh interpreter: settings are read once per process.
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ivmt_site.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nothing_set_means_local_development() -> None:
    result = run_settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")
    assert result.stdout.strip().endswith("LocMemCache")  # one process, its own memory


def test_production_mode_starts_with_everything_set() -> None:
    result = run_settings(PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['ivmt.example.org'] RedisCache"


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_production_mode_refuses_to_start_without(missing: str) -> None:
    result = run_settings({k: v for k, v in PRODUCTION.items() if k != missing})
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is false" in result.stderr


def test_a_mistyped_debug_flag_is_an_error() -> None:
    result = run_settings({"DJANGO_DEBUG": "flase"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false, not 'flase'" in result.stderr


def test_a_trusted_proxy_that_is_not_an_address_stops_start_up() -> None:
    result = run_settings({**PRODUCTION, "DJANGO_TRUSTED_PROXIES": "127.0.0.1,10.0.0.0/33"})
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: '10.0.0.0/33' is not an IP address or network." in result.stderr


def test_production_on_postgresql_waits_on_the_database_for_seconds_only() -> None:
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "d = s.DATABASES['default']; print(d['ENGINE'], sorted(d['OPTIONS'].items()))"
    )
    env = {**PRODUCTION, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ivmt_site.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "ivmt_site.postgres [('connect_timeout', 2), ('deadline', 4.0), "
        "('options', '-c statement_timeout=3000')]"
    )


def test_gunicorn_trusts_the_same_proxies_as_django(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_TRUSTED_PROXIES", raising=False)
    config = runpy.run_path(str(ROOT / "ivmt_site" / "gunicorn.conf.py"))
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.0/24")
    config = runpy.run_path(str(ROOT / "ivmt_site" / "gunicorn.conf.py"))
    assert config["forwarded_allow_ips"] == "10.0.0.0/24"
