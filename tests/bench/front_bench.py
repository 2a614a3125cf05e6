"""The front server's benchmark: wrk on loopback against nginx (ivmt_site/front) in front of gunicorn in
production mode, on PostgreSQL (through a relay the benchmark can freeze) and Redis.

1. A cached page through the front, against the same front's stylesheet (a file nginx serves itself), in
   interleaved rounds: its rate must be at least 0.5x the stylesheet's; its p99 at 64 connections is reported.
2. The page's rate while the database is frozen, against its rate just before with it answering, in
   interleaved rounds, with 20 readers asking for pages that need it:
   - 20 requests stuck on it (bar: at least 0.5x): readers who each ask as the database freezes (their
     requests wait until the database deadline) and, after each answer, ask again a second later, as an
     impatient reader reloads;
   - a flood from one address (bar: at least 0.5x): the same 20 asking again at once, as one client
     hammering the site would, which the front's per-address budget answers 429 beyond its burst;
   - a flood from 20 addresses (reported, no bar): 20 clients asking at once, each within its own budget,
     which on this 2-core machine, shared with wrk and the loops themselves, takes cores whatever each
     answer costs.
"""

import http.client
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
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
RECOVERED_IN_A_ROW = 6  # answers from the database in a row that show every gunicorn worker has recovered
BASELINE = "stylesheet through the front (baseline)"
PAGE = "article page through the front (/side-effects/)"
PAGE_PATH = "/side-effects/"


@dataclass(frozen=True)
class Readers:
    """How readers ask: `pause` seconds after each answer (0: at once), from one loopback address or each
    from its own (127.0.0.2, .3, ...), which the front counts apart."""

    label: str
    pause: float
    own_addresses: bool
    settle: float  # seconds from their start to measuring: 0 while their first requests are stuck


class StuckReaders:
    """Readers asking, one request after another, for searches no cache holds: each needs the database."""

    def __init__(self, port: int, count: int, readers: Readers) -> None:
        self.port = port
        self.count = count
        self.pause = readers.pause
        self.own_addresses = readers.own_addresses
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
            source = (f"127.0.0.{reader + 2}", 0) if self.own_addresses else None
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=source)
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


def frozen_round(relay: Relay, port: int, url: str, readers: Readers, outcome: "FrozenOutcome") -> None:
    """wrk on the cached page while the database is frozen and the readers ask; then thawed and recovered."""
    relay.freeze()
    try:
        with StuckReaders(port, STUCK_READERS, readers) as asking:
            time.sleep(readers.settle)
            outcome.results.append(wrk(url, CONNECTIONS, DURATION_SECONDS))
        for status, count in asking.answers.items():
            outcome.answers[status] = outcome.answers.get(status, 0) + count
        outcome.longest_wait = max(outcome.longest_wait, asking.longest_wait)
    finally:
        relay.thaw()
    wait_until_recovered(port)


@dataclass
class FrozenOutcome:
    results: list[WrkResult] = field(default_factory=list)
    answers: dict[int, int] = field(default_factory=dict)
    longest_wait: float = 0.0


# The floods are measured once every worker knows the outage (past the 4 s database deadline).
STUCK = Readers("20 requests stuck on it", READER_PAUSE_SECONDS, own_addresses=False, settle=0)
FLOOD = Readers("20 loops from one address asking at once", 0, own_addresses=False, settle=5)
SPREAD_FLOOD = Readers("20 loops from 20 addresses asking at once", 0, own_addresses=True, settle=5)
HELD_TO_THE_BAR = (STUCK, FLOOD)


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
            outcomes = {readers: FrozenOutcome() for readers in (STUCK, FLOOD, SPREAD_FLOOD)}
            wait_until_recovered(front.port)
            page = base + PAGE_PATH
            for _ in range(ROUNDS):
                normal.append(wrk(page, CONNECTIONS, DURATION_SECONDS))
                for readers, outcome in outcomes.items():
                    frozen_round(relay, front.port, page, readers, outcome)
            section.rows.append(row(normal, f"{PAGE}, database answering"))
            ratios = {}
            for readers, outcome in outcomes.items():
                held = "bar" if readers in HELD_TO_THE_BAR else "no bar"
                section.rows.append(
                    row(outcome.results, f"{PAGE}, database frozen, {readers.label} ({held})")
                )
                ratios[readers] = [
                    f.requests_per_second / n.requests_per_second
                    for f, n in zip(outcome.results, normal, strict=True)
                ]
            for readers in HELD_TO_THE_BAR:
                ratio = statistics.median(ratios[readers])
                section.bars.append(
                    Bar(
                        f"page rate with the database frozen, {readers.label}, >= {FROZEN_RATIO_BAR}x "
                        "the rate with it answering",
                        f"{ratio:.2f}x",
                        ratio >= FROZEN_RATIO_BAR,
                    )
                )
            errors = sum(r.errors for outcome in outcomes.values() for r in outcome.results)
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
        "nothing. Each round measures the page with the database answering, then frozen three times, with "
        f"{STUCK_READERS} readers asking for searches no cache holds, while wrk asks for the cached page; "
        "after each freeze the database thaws and the site must answer searches again by itself before the "
        "round goes on. Stuck: the readers ask as it freezes, so their requests wait on it (until the "
        "database deadline, after which each gunicorn worker answers the outage page at once for a while), "
        f"and each asks again {READER_PAUSE_SECONDS:g} s after an answer. Floods: the readers ask again at "
        "once, "
        f"measured from {FLOOD.settle:g} s after they start, when every worker answers at once; from one "
        "address, the front answers 429 past its budget of requests that reach the app (10 a second, bursts "
        "of 50); from 20 addresses, each is within its own budget for longer. Per-round ratios: "
        + "; ".join(
            f"{readers.label} {', '.join(f'{x:.2f}' for x in ratios[readers])}" for readers in outcomes
        )
        + ". Answers: "
        + "; ".join(
            f"{readers.label}: {answer_counts(outcome.answers)}, "
            f"the longest wait {outcome.longest_wait:.1f} s"
            for readers, outcome in outcomes.items()
        )
        + " (503 is the outage page, 429 the front's budget).",
        "A flood takes cores from nginx serving wrk whatever each answer costs: a loop that is answered in a "
        "millisecond asks again at once, and the loops, nginx, gunicorn and the benchmark's own Python take "
        "what share of the 2 cores the scheduler gives them. Outage answers cost about 0.5 ms in-process "
        "(ivmt_site.errors.KnownOutageMiddleware), not the 5 ms a view, its error page and a logged "
        "traceback cost before.",
    ]
    return section


if __name__ == "__main__":
    sys.stdout.write(run().markdown())
