"""How long `manage.py loadcontent` takes on PostgreSQL, at 100, 1,000 and 10,000 generated topic pages.

For each size: a fresh database, `migrate`, then timed runs of `loadcontent --content <synthetic dir>`: the
full load into the empty database, and the same command three times again with nothing changed (the median
counts). Each command is a
subprocess, so Python and Django start-up count, as they do for an editor. Each is timed twice: wall clock,
and CPU (the command's process and the render workers it starts; PostgreSQL's own work is not counted). CPU
per file is what the scaling bar compares, since the wall clock also measures what else the shared machine
is doing. The 10,000-page database is left in place at `database_url` for the search benchmark that runs next.

    python -m tests.bench.loader_bench
"""

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tests.bench.report import Bar, Section
from tests.bench.synthetic import write_synthetic_content

ROOT = Path(__file__).resolve().parents[2]
SIZES = (100, 1000, 10000)
FULL_LOAD_PAGES = 1000
FULL_LOAD_LIMIT_S = 60.0
PER_FILE_RATIO_LIMIT = 1.5
RELOAD_LIMIT_S = 10.0
RELOADS = range(3)  # an unchanged reload is timed three times, and the median counts: one run is noise-prone
# Each command's limit, so that a loader gone slow fails the run instead of holding it up: the 10,000-page
# full load took 210-250 s on this 2-core machine.
COMMAND_TIMEOUT_S = 900


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float  # user + system


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


def manage(database_url: str, *args: str) -> Timing:
    """Run `manage.py *args` with the benchmark database; return its wall-clock and CPU time.

    The CPU time is read from getrusage(RUSAGE_CHILDREN), which counts every child this process has waited
    for, and their own waited-for children: the command and the render workers of its process pool. Nothing
    else here starts a child meanwhile, so the difference across the call is this command's.
    """
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_DEBUG", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=COMMAND_TIMEOUT_S,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def content_file_count(content: Path) -> int:
    """The files a load reads: every file in the content folder's subfolders (its README is not content)."""
    return sum(1 for path in content.rglob("*") if path.is_file() and path.parent != content)


def run(database_url: str, workdir: Path) -> Section:
    section = Section(
        title="Loading content (loadcontent) on PostgreSQL",
        header=[
            "articles",
            "files",
            "full load s",
            "full load CPU s",
            "CPU per file ms",
            "wall per file ms",
            "unchanged reload s (median)",
            "reload CPU s",
        ],
    )
    full: dict[int, Timing] = {}
    reload: dict[int, Timing] = {}  # the median of the reloads
    reloads: dict[int, list[Timing]] = {}
    cpu_per_file_ms: dict[int, float] = {}
    for count in SIZES:
        content = write_synthetic_content(ROOT / "content", workdir / f"content-{count}", count)
        files = content_file_count(content)
        recreate_database(database_url)
        manage(database_url, "migrate", "--no-input", "-v", "0")
        full[count] = manage(database_url, "loadcontent", "--content", str(content))
        reloads[count] = [manage(database_url, "loadcontent", "--content", str(content)) for _ in RELOADS]
        reload[count] = sorted(reloads[count], key=lambda timing: timing.wall_s)[len(RELOADS) // 2]
        cpu_per_file_ms[count] = full[count].cpu_s / files * 1000
        section.rows.append(
            [
                f"{count:,}",
                f"{files:,}",
                f"{full[count].wall_s:.1f}",
                f"{full[count].cpu_s:.1f}",
                f"{cpu_per_file_ms[count]:.1f}",
                f"{full[count].wall_s / files * 1000:.1f}",
                f"{reload[count].wall_s:.1f}",
                f"{reload[count].cpu_s:.1f}",
            ]
        )
    largest, smallest = SIZES[-1], SIZES[0]
    ratio = cpu_per_file_ms[largest] / cpu_per_file_ms[smallest]
    section.bars = [
        Bar(
            f"{FULL_LOAD_PAGES:,} full load < {FULL_LOAD_LIMIT_S:.0f} s",
            f"{full[FULL_LOAD_PAGES].wall_s:.1f} s",
            full[FULL_LOAD_PAGES].wall_s < FULL_LOAD_LIMIT_S,
        ),
        Bar(
            f"CPU per file at {largest:,} <= {PER_FILE_RATIO_LIMIT}x CPU per file at {smallest}",
            f"{ratio:.2f}x ({cpu_per_file_ms[largest]:.1f} ms and {cpu_per_file_ms[smallest]:.1f} ms)",
            ratio <= PER_FILE_RATIO_LIMIT,
        ),
        Bar(
            f"{largest:,} unchanged reload < {RELOAD_LIMIT_S:.0f} s",
            f"{reload[largest].wall_s:.1f} s",
            reload[largest].wall_s < RELOAD_LIMIT_S,
        ),
    ]
    section.notes = [
        "Generated pages are copies of real long topic pages (tests/bench/synthetic.py), added to the real "
        "content; 'articles' counts the generated pages, 'files' every file loaded (the real ones too), and "
        "per file is the full load divided by the files.",
        f"The unchanged reload is run {len(RELOADS)} times and the median counts (wall seconds at "
        f"{SIZES[-1]:,}: {', '.join(f'{t.wall_s:.1f}' for t in reloads[SIZES[-1]])}).",
        "Each time is one `manage.py loadcontent` subprocess (Python and Django start-up included, so "
        "the smallest size carries the most start-up per file) into a freshly migrated database; the machine "
        f"has {os.cpu_count()} cores. CPU is user + system time of the command and its render worker "
        "processes (getrusage of the finished children), so with rendering spread over the cores it can "
        "exceed the wall clock; the PostgreSQL server's work is not in it.",
    ]
    return section


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        sys.stdout.write(run("postgres://postgres@127.0.0.1:5432/ivmt_bench", Path(scratch)).markdown())
