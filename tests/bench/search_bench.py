"""Site search latency on PostgreSQL with the real content plus 10,000 generated pages.

`run(database_url)` times `articles.search.search()` in-process (Django set up on that database) over a few
hundred varied queries. Run as a script it prints the section; `--build` first makes the database:

    .venv/bin/python -m tests.bench.search_bench --build \\
        --database-url postgres://postgres@127.0.0.1:5432/ivmt_bench_search
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.report import Bar, Section
from tests.bench.synthetic import synthetic_slug, synthetic_word, write_synthetic_content

PAGES = 10_000
BAR_MS = 50.0
ROUNDS = 2  # timed passes over every query, after one untimed warm-up pass
REPO = Path(__file__).resolve().parents[2]

COMMON_WORDS = [
    "magnesium",
    "migraine",
    "migraines",
    "vitamin",
    "riboflavin",
    "calcium",
    "doctor",
    "infusion",
    "drip",
    "IV",
    "cost",
    "insurance",
    "pain",
    "nausea",
    "headache",
    "heart",
    "kidney",
    "pregnant",
    "evidence",
    "study",
    "side",
    "safe",
    "vein",
    "dose",
    "blood",
    "pressure",
    "allergic",
    "flushing",
    "warm",
    "clinic",
]
PHRASES = [
    '"side effects"',
    '"magnesium sulfate"',
    '"blood pressure"',
    '"vitamin b12"',
    "is it safe if I am pregnant",
    "how much does it cost",
    "does IVMT work for migraine",
    "what is in the drip",
    "who should not have it",
    "can I drive home afterwards",
    "magnesium or calcium",
    "riboflavin -vitamin",
    "migraine -magnesium",
    "heart or kidney disease",
    "feel warm during the infusion",
    "questions for my doctor",
    "emergency room",
    "low blood pressure",
    "thunderclap headache",
    "light sensitivity eyesight",
]
NO_MATCH = [
    "xylophone",
    "zzyzx",
    "quokka",
    "marmalade",
    "bicycle",
    "saxophone",
    "volcano",
    "glacier",
    "penguin",
    "trombone",
    "zqnotaword",
    "qwertyuiop",
    "lorem ipsum",
    "the and of",
    '"',
    "-",
    "😀",
    "偏头痛",
    "x" * 300,
    "<script>alert(1)</script>",
]


def unique_words(generated: int, count: int = 150) -> dict[str, int]:
    """Words each in exactly one generated page, spread over all of them, with that page's number."""
    step = max(1, generated // count)
    return {synthetic_word(number): number for number in range(1, generated + 1, step)[:count]}


def queries(generated: int) -> dict[str, list[str]]:
    """The queries by group: 30 common words, 20 phrases and operators, 150 unique words, 20 with no match."""
    return {
        "common word": COMMON_WORDS,
        "phrase or operators": PHRASES,
        "unique word": list(unique_words(generated)),
        "no match": NO_MATCH,
    }


def _setup_django(database_url: str) -> None:
    import django
    from django.conf import settings

    if settings.configured:
        import dj_database_url

        wanted = dj_database_url.parse(database_url)
        current = settings.DATABASES["default"]
        if (wanted["NAME"], wanted.get("HOST")) != (current["NAME"], current.get("HOST")):
            raise RuntimeError(f"Django is already set up on another database ({current['NAME']})")
    else:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivmt_site.settings")
    django.setup()


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    index = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def _ms(value: float) -> str:
    return f"{value:.1f}"


def run(database_url: str) -> Section:
    _setup_django(database_url)
    from django.db import connection, reset_queries

    # Planner statistics now (the database may have just been loaded), not whenever autovacuum gets to it:
    # the plans timed are the settled ones.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    from articles.models import Article
    from articles.search import search
    from articles.search_views import RESULTS_SHOWN

    published = Article.objects.published().count()
    generated = Article.objects.published().filter(slug__startswith=synthetic_slug(0)[:-5]).count()
    unique = unique_words(generated)
    groups = queries(generated)
    every = [query for group in groups.values() for query in group]
    for query in every:  # warm-up: connection, plans, shared buffers
        search(query, limit=RESULTS_SHOWN)

    timings: dict[str, list[float]] = {group: [] for group in groups}
    unique_found = 0
    for _ in range(ROUNDS):
        for group, group_queries in groups.items():
            for query in group_queries:
                start = time.perf_counter()
                results = search(query, limit=RESULTS_SHOWN)
                timings[group].append((time.perf_counter() - start) * 1000)
                if group == "unique word":
                    unique_found += [r.url for r in results] == [f"/{synthetic_slug(unique[query])}/"]
                reset_queries()  # DEBUG keeps a log of queries; keep it from growing

    rows = []
    for group, values in [*timings.items(), ("all", [v for vs in timings.values() for v in vs])]:
        ordered = sorted(values)
        if not ordered:
            continue
        rows.append(
            [
                group,
                str(len(values)),
                _ms(statistics.median(ordered)),
                _ms(_percentile(ordered, 0.95)),
                _ms(ordered[-1]),
            ]
        )
    everything = sorted(v for vs in timings.values() for v in vs)
    p95 = _percentile(everything, 0.95)
    unique_total = len(groups["unique word"]) * ROUNDS
    return Section(
        title=f"Site search ({published:,} published pages, {connection.vendor})",
        header=["queries", "searches", "p50 ms", "p95 ms", "max ms"],
        rows=rows,
        bars=[
            Bar(
                f"search p95 at 10,000 pages < {BAR_MS:.0f} ms",
                f"{p95:.1f} ms at {published:,} pages",
                p95 < BAR_MS and published >= PAGES,
            ),
            Bar(
                "each unique word finds exactly its page",
                f"{unique_found}/{unique_total}",
                unique_found == unique_total,
            ),
        ],
        notes=[
            "Timed in-process: articles.search.search() called directly (Django set up on the database), "
            "as the /search/ view calls it (20 results); no HTTP, template or middleware.",
            f"{len(every)} distinct queries, one untimed warm-up pass, then {ROUNDS} timed passes.",
            "Development settings (DEBUG on: Django logs each query; the log is cleared after each search).",
            f"PostgreSQL at {connection.settings_dict.get('HOST')}:{connection.settings_dict.get('PORT')}, "
            "on the same 2-core shared machine as the benchmark.",
        ],
    )


def build(database_url: str, pages: int) -> None:
    """Create the database afresh, migrate it, and load the real content plus `pages` generated pages."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(database_url)
    name = config["NAME"]
    admin = f"host={config['HOST']} port={config['PORT'] or 5432} user={config['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database_url}
    manage = [sys.executable, str(REPO / "manage.py")]
    with tempfile.TemporaryDirectory() as folder:
        content = write_synthetic_content(REPO / "content", Path(folder) / "content", pages)
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
        subprocess.run([*manage, "loadcontent", "--content", str(content)], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ivmt_bench_search"),
    )
    parser.add_argument("--build", action="store_true", help="drop, create and load the database first")
    parser.add_argument("--pages", type=int, default=PAGES, help="generated pages to load with --build")
    args = parser.parse_args()
    if args.build:
        build(args.database_url, args.pages)
    sys.stdout.write(run(args.database_url).markdown())


if __name__ == "__main__":
    main()
