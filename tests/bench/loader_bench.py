"""How long `manage.py loadcontent` takes on PostgreSQL, at 100, 1,000 and 10,000 generated topic pages.

For each size: a fresh database, `migrate`, then two timed runs of `loadcontent --content <synthetic dir>`:
the full load into the empty database, and the same command again with nothing changed. Each command is a
subprocess, so Python and Django start-up count, as they do for an editor. The 10,000-page database is left
in place at `database_url` for the search benchmark that runs next.

    python -m tests.bench.loader_bench
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tests.bench.report import Bar, Section
from tests.bench.synthetic import write_synthetic_content

ROOT = Path(__file__).resolve().parents[2]
SIZES = (100, 1000, 10000)
FULL_LOAD_LIMIT_S = 60.0
PER_FILE_RATIO_LIMIT = 1.5
RELOAD_LIMIT_S = 10.0


def recreate_database(database_url: str) -> None:
    """DROP and CREATE the database named in `database_url`, connected to the server's `postgres` database."""
    parts = urlsplit(database_url)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"the benchmark only uses a database on this machine, not {parts.hostname}")
    name = parts.path.lstrip("/")
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(database_url: str, *args: str) -> float:
    """Run `manage.py *args` with the benchmark database; return its wall-clock time in seconds."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_DEBUG", None)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def run(database_url: str, workdir: Path) -> Section:
    section = Section(
        title="Loading content (loadcontent) on PostgreSQL",
        header=["articles", "full load s", "per file ms", "unchanged reload s"],
    )
    per_file_ms: dict[int, float] = {}
    reload_s: dict[int, float] = {}
    full_s: dict[int, float] = {}
    for count in SIZES:
        content = write_synthetic_content(ROOT / "content", workdir / f"content-{count}", count)
        recreate_database(database_url)
        manage(database_url, "migrate", "--no-input", "-v", "0")
        full_s[count] = manage(database_url, "loadcontent", "--content", str(content))
        reload_s[count] = manage(database_url, "loadcontent", "--content", str(content))
        per_file_ms[count] = full_s[count] / count * 1000
        section.rows.append(
            [f"{count:,}", f"{full_s[count]:.1f}", f"{per_file_ms[count]:.1f}", f"{reload_s[count]:.1f}"]
        )
    largest, smallest = SIZES[-1], SIZES[0]
    ratio = per_file_ms[largest] / per_file_ms[smallest]
    section.bars = [
        Bar(
            f"{largest:,} full load < {FULL_LOAD_LIMIT_S:.0f} s",
            f"{full_s[largest]:.1f} s",
            full_s[largest] < FULL_LOAD_LIMIT_S,
        ),
        Bar(
            f"per-file at {largest:,} <= {PER_FILE_RATIO_LIMIT}x per-file at {smallest}",
            f"{ratio:.2f}x",
            ratio <= PER_FILE_RATIO_LIMIT,
        ),
        Bar(
            f"{largest:,} unchanged reload < {RELOAD_LIMIT_S:.0f} s",
            f"{reload_s[largest]:.1f} s",
            reload_s[largest] < RELOAD_LIMIT_S,
        ),
    ]
    section.notes = [
        "Generated pages are copies of real long topic pages (tests/bench/synthetic.py), added to the real "
        "content; 'articles' counts the generated pages, and per file is the full load divided by it.",
        "Each time is one `manage.py loadcontent` subprocess (Python and Django start-up included) into a "
        f"freshly migrated database; the machine has {os.cpu_count()} cores.",
    ]
    return section


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        sys.stdout.write(run("postgres://postgres@127.0.0.1:5432/ivmt_bench", Path(scratch)).markdown())
