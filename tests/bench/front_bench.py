"""The front server's benchmark: wrk on loopback against nginx (ivmt_site/front) in front of gunicorn in
production mode, on PostgreSQL (through a relay the benchmark can freeze) and Redis.

1. A cached page through the front, against the same front's stylesheet (a file nginx serves itself), in
   interleaved rounds: its rate must be at least 0.5x the stylesheet's; its p99 at 64 connections is reported.
2. The page's rate while 20 requests are stuck on a frozen database, against its rate just before with the
   database answering, in interleaved rounds: at least 0.5x. The 20 are readers who each ask for a page that
   needs the database as the database freezes (their requests wait until the database deadline), and after
   each answer ask again a second later, as an impatient reader reloads. Reported beside it, without a bar:
   the same 20 asking again at once (a flood, no reader's pace), which on a 2-core machine shared with wrk
   competes for the cores whatever each answer costs.
"""

import http.client
import secrets
import statistics
import sys
import tempfile
import threading
import time
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
READER_PAUSE_SECONDS = 1.0  # between an answer and a reader's next request
# The flood is measured once every worker knows the outage (past the 4 s database deadline).
FLOOD_SETTLE_SECONDS = 5.0
RECOVERED_IN_A_ROW = 6  # answers from the database in a row that show every gunicorn worker has recovered
BASELINE = "stylesheet through the front (baseline)"
PAGE = "article page through the front (/side-effects/)"
PAGE_PATH = "/side-effects/"


class StuckReaders:
    """Readers asking, one request after another, for searches no cache holds: each needs the database.
    Each waits `pause` seconds after an answer before asking again (0: at once)."""

    def __init__(self, port: int, count: int, pause: float) -> None:
        self.port = port
        self.count = count
        self.pause = pause
        self.answers: dict[int, int] = {}
        self.longest_wait = 0.0
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
            asked = time.monotonic()
            try:
                connection.request("GET", f"/search/?q=stuck{reader}x{n}", headers={"Host": HOST})
                status = connection.getresponse().status
            except OSError:
                status = 0
            finally:
                connection.close()
            with self._lock:
                self.answers[status] = self.answers.get(status, 0) + 1
                self.longest_wait = max(self.longest_wait, time.monotonic() - asked)
            self._stop.wait(self.pause)


def wait_until_recovered(port: int) -> None:
    """Searches no cache holds until the database has answered several in a row: each gunicorn worker has
    its own note of the outage, and the next round must start with none of them expecting one."""
    in_a_row = 0
    deadline = time.monotonic() + 60
    n = 0
    while in_a_row < RECOVERED_IN_A_ROW:
        assert time.monotonic() < deadline, "the site did not recover within 60 s of the database thawing"
        n += 1
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            path = f"/search/?q=recovered{n}x{secrets.token_hex(4)}"
            connection.request("GET", path, headers={"Host": HOST})
            ok = connection.getresponse().status == 200
        finally:
            connection.close()
        in_a_row = in_a_row + 1 if ok else 0
        if not ok:
            time.sleep(0.2)


def frozen_round(
    relay: Relay, port: int, url: str, pause: float, answers: dict[int, int], settle: float = 0
) -> tuple[WrkResult, float]:
    """wrk on the cached page while the database is frozen and the readers ask (`settle` seconds after they
    start); then thawed and recovered. Returns wrk's result and the longest a reader waited for an answer."""
    relay.freeze()
    try:
        with StuckReaders(port, STUCK_READERS, pause) as readers:
            time.sleep(settle)
            result = wrk(url, CONNECTIONS, DURATION_SECONDS)
        for status, count in readers.answers.items():
            answers[status] = answers.get(status, 0) + count
    finally:
        relay.thaw()
    wait_until_recovered(port)
    return result, readers.longest_wait


def answer_counts(answers: dict[int, int]) -> str:
    return ", ".join(f"{count} x {status or 'no answer'}" for status, count in sorted(answers.items()))


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
            flooded: list[WrkResult] = []
            answers: dict[int, int] = {}
            flood_answers: dict[int, int] = {}
            longest_waits: list[float] = []
            wait_until_recovered(front.port)
            for _ in range(ROUNDS):
                normal.append(wrk(base + PAGE_PATH, CONNECTIONS, DURATION_SECONDS))
                page = base + PAGE_PATH
                result, longest = frozen_round(relay, front.port, page, READER_PAUSE_SECONDS, answers)
                frozen.append(result)
                longest_waits.append(longest)
                flooded.append(
                    frozen_round(relay, front.port, page, 0, flood_answers, FLOOD_SETTLE_SECONDS)[0]
                )
            section.rows.append(row(normal, f"{PAGE}, database answering"))
            section.rows.append(
                row(frozen, f"{PAGE}, database frozen, {STUCK_READERS} requests stuck on it (bar)")
            )
            section.rows.append(
                row(flooded, f"{PAGE}, database frozen, {STUCK_READERS} readers asking at once (no bar)")
            )
            frozen_ratios = [
                f.requests_per_second / n.requests_per_second for f, n in zip(frozen, normal, strict=True)
            ]
            flood_ratios = [
                f.requests_per_second / n.requests_per_second for f, n in zip(flooded, normal, strict=True)
            ]
            frozen_ratio = statistics.median(frozen_ratios)
            section.bars.append(
                Bar(
                    f"page rate while {STUCK_READERS} requests are stuck on a frozen database "
                    f">= {FROZEN_RATIO_BAR}x the rate with it answering",
                    f"{frozen_ratio:.2f}x",
                    frozen_ratio >= FROZEN_RATIO_BAR,
                )
            )
            errors = sum(r.errors for r in frozen + flooded)
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
        f"nothing. As it freezes, {STUCK_READERS} readers each ask for a search no cache holds, so their "
        "requests wait on it (until the database deadline, after which each gunicorn worker answers the "
        f"outage page at once for a while); each asks again {READER_PAUSE_SECONDS:g} s after an answer, "
        "while wrk asks for the cached page. Each round measures the page with the database answering, then "
        "frozen with these readers, then frozen with the same readers asking again at once; after each "
        "freeze the database thaws and the site must answer searches again by itself before the round goes "
        f"on. Per-round ratios: stuck {', '.join(f'{x:.2f}' for x in frozen_ratios)}; asking at once "
        f"{', '.join(f'{x:.2f}' for x in flood_ratios)}. The readers' answers: "
        f"{answer_counts(answers)}, the longest wait {max(longest_waits):.1f} s; asking at once: "
        f"{answer_counts(flood_answers)} (503 is the outage page).",
        f"Asking at once is a flood, not readers: measured from {FLOOD_SETTLE_SECONDS:g} s after it starts, "
        "once every worker answers the outage page at once. All 20 loops come from one address, so past the "
        "front's budget of requests that reach the app (10 a second, bursts of 50) they are answered 429 by "
        "nginx; each answer is asked again at once, so the loops, nginx and the benchmark's own Python take "
        "whatever share of the 2 cores the scheduler gives them, away from nginx serving wrk. It is reported "
        "to show that cost, not held to the bar.",
    ]
    return section


if __name__ == "__main__":
    sys.stdout.write(run().markdown())
