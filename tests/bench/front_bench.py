"""The front server's benchmark: wrk on loopback against nginx (ivmt_site/front) in front of gunicorn in
production mode, on PostgreSQL (through a relay the benchmark can freeze) and Redis.

1. A cached page through the front, against the same front's stylesheet (a file nginx serves itself), in
   interleaved rounds: its rate must be at least 0.5x the stylesheet's; its p99 at 64 connections is reported.
2. The page's rate while 20 readers keep asking for pages that need the database and the database is frozen,
   against its rate just before with the database answering, in interleaved rounds: at least 0.5x.
"""

import http.client
import secrets
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from tests.bench.http_bench import CONNECTIONS, WARM_UP_SECONDS, WrkResult, row, wrk
from tests.bench.report import Bar, Section
from tests.servers import (
    HOST,
    POSTGRES,
    REDIS,
    Browser,
    Front,
    Gunicorn,
    Relay,
    manage,
    postgres_database,
    production_env,
)

ROUNDS = 5  # odd, so each median is one round's figure
DURATION_SECONDS = 4
RATE_RATIO_BAR = 0.5  # page through the front / stylesheet through the front
FROZEN_RATIO_BAR = 0.5  # page rate with the database frozen / page rate with it answering
STUCK_READERS = 20
BASELINE = "stylesheet through the front (baseline)"
PAGE = "article page through the front (/side-effects/)"
PAGE_PATH = "/side-effects/"


class StuckReaders:
    """Readers asking, one request after another, for searches no cache holds: each needs the database."""

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.count = count
        self.answers: dict[int, int] = {}
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._ask, args=(n,), daemon=True) for n in range(count)]
        self._lock = threading.Lock()

    def __enter__(self) -> "StuckReaders":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _ask(self, reader: int) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                connection.request("GET", f"/search/?q=stuck{reader}x{n}", headers={"Host": HOST})
                status = connection.getresponse().status
            except OSError:
                status = 0
            finally:
                connection.close()
            with self._lock:
                self.answers[status] = self.answers.get(status, 0) + 1


def run() -> Section:
    section = Section(
        f"Front server (nginx): wrk, {CONNECTIONS} connections, {ROUNDS} rounds of {DURATION_SECONDS} s",
        ["URL", "requests/s", "p50 ms", "p99 ms", "errors", "rate / baseline", "p99 / baseline"],
    )
    with tempfile.TemporaryDirectory(prefix="ivmt-bench-front-") as scratch, postgres_database() as name:
        root = Path(scratch)
        relay = Relay(5432)
        env = production_env(
            f"postgres://postgres@127.0.0.1:{relay.port}/{name}", REDIS, root / "static", root
        )
        env["DJANGO_CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(8)}"
        manage({**env, "DATABASE_URL": f"{POSTGRES}/{name}"}, "migrate", "--no-input", "-v0")
        manage({**env, "DATABASE_URL": f"{POSTGRES}/{name}"}, "loadcontent", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        css = next(p.name for p in (root / "static" / "css").glob("site.*.css") if p.name.count(".") == 2)
        app = Gunicorn(env, root / "gunicorn.log", workers=None).start()
        front = Front(env, app, root / "nginx").start()
        try:
            base = f"http://127.0.0.1:{front.port}"
            targets = {BASELINE: f"/static/css/{css}", PAGE: PAGE_PATH}
            for path in targets.values():
                assert Browser(front).get(path).status == 200, path
                wrk(base + path, CONNECTIONS, WARM_UP_SECONDS)
            rounds: list[dict[str, WrkResult]] = []
            for n in range(ROUNDS):
                order = [BASELINE, PAGE] if n % 2 == 0 else [PAGE, BASELINE]
                rounds.append(
                    {label: wrk(base + targets[label], CONNECTIONS, DURATION_SECONDS) for label in order}
                )
            for label in targets:
                section.rows.append(row([r[label] for r in rounds], label, [r[BASELINE] for r in rounds]))
            rate_ratios = [r[PAGE].requests_per_second / r[BASELINE].requests_per_second for r in rounds]
            rate_ratio = statistics.median(rate_ratios)
            p99 = statistics.median(r[PAGE].p99_ms for r in rounds)
            section.bars.append(
                Bar(
                    f"cached page through the front >= {RATE_RATIO_BAR}x the front's stylesheet rate",
                    f"{rate_ratio:.2f}x",
                    rate_ratio >= RATE_RATIO_BAR,
                )
            )

            normal: list[WrkResult] = []
            frozen: list[WrkResult] = []
            answers: dict[int, int] = {}
            for _ in range(ROUNDS):
                normal.append(wrk(base + PAGE_PATH, CONNECTIONS, DURATION_SECONDS))
                relay.freeze()
                try:
                    with StuckReaders(front.port, STUCK_READERS) as stuck:
                        frozen.append(wrk(base + PAGE_PATH, CONNECTIONS, DURATION_SECONDS))
                    for status, count in stuck.answers.items():
                        answers[status] = answers.get(status, 0) + count
                finally:
                    relay.thaw()
            section.rows.append(row(normal, f"{PAGE}, database answering"))
            section.rows.append(
                row(frozen, f"{PAGE}, database frozen, {STUCK_READERS} readers on pages that need it")
            )
            frozen_ratios = [
                f.requests_per_second / n.requests_per_second for f, n in zip(frozen, normal, strict=True)
            ]
            frozen_ratio = statistics.median(frozen_ratios)
            section.bars.append(
                Bar(
                    f"page rate with the database frozen and {STUCK_READERS} readers waiting on it "
                    f">= {FROZEN_RATIO_BAR}x the rate with it answering",
                    f"{frozen_ratio:.2f}x",
                    frozen_ratio >= FROZEN_RATIO_BAR,
                )
            )
            errors = sum(r.errors for r in frozen)
            section.bars.append(
                Bar("cached page errors while the database is frozen", str(errors), errors == 0)
            )
        finally:
            front.stop()
            app.stop()
            relay.cut()
    section.notes += [
        "nginx as `make serve-prod` runs it (manage.py nginx_config), in front of gunicorn in production "
        "mode (1 worker per core + 1, 4 threads); wrk on the same machine, 1 thread. The page is kept by "
        "nginx for a second; then the next request asks gunicorn again, and requests arriving meanwhile "
        "get the stale copy.",
        f"Each round measures the page and the stylesheet back to back ({DURATION_SECONDS} s each, taking "
        "turns to go first); the bar is the median of the per-round ratios: "
        f"{', '.join(f'{x:.2f}' for x in rate_ratios)}. Page p99 at {CONNECTIONS} connections: "
        f"{p99:.1f} ms (median over the rounds).",
        "Frozen database: PostgreSQL is reached through a relay that keeps connections open and passes "
        f"nothing; {STUCK_READERS} readers each ask, one request after another, for a search no cache holds, "
        "while wrk asks for the cached page. Each round measures the page with the database answering, then "
        f"frozen; per-round ratios {', '.join(f'{x:.2f}' for x in frozen_ratios)}. The readers' answers: "
        f"{', '.join(f'{count} x {status or "no answer"}' for status, count in sorted(answers.items()))} "
        "(503 is the outage page; the database deadline and the pause after it keep them from holding "
        "threads).",
    ]
    return section


if __name__ == "__main__":
    sys.stdout.write(run().markdown())
