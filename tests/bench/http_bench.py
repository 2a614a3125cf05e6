"""HTTP benchmark: wrk on loopback against gunicorn in production mode, on PostgreSQL and Redis.

The cached article page is held to the same server's stylesheet (served by WhiteNoise from memory): its rate
must be at least 0.7x the stylesheet's, and its p99 latency at most 1.5x the stylesheet's, both measured in
the same run in interleaved rounds, because the machine is shared and noisy and only ratios taken side by
side compare between runs. Then a load run of 200 connections for 60 seconds over a mix of pages must finish
without a single error.
"""

import re
import secrets
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.bench.report import Bar, Section
from tests.servers import HOST, POSTGRES, REDIS, Browser, Gunicorn, manage, postgres_database, production_env

CONNECTIONS = 64
ROUNDS = 7  # odd, so each median is one round's figure
DURATION_SECONDS = 4  # per URL per round
WARM_UP_SECONDS = 2
RATE_RATIO_BAR = 0.7  # article page rate / stylesheet rate, at least
P99_RATIO_BAR = 1.5  # article page p99 / stylesheet p99, at most
BASELINE = "stylesheet (baseline)"
ARTICLE = "article page (/side-effects/)"
LOAD_CONNECTIONS = 200
LOAD_SECONDS = 60
PAGES = {
    ARTICLE: "/side-effects/",
    "FAQ (/faq/)": "/faq/",
    "search (/search/?q=magnesium)": "/search/?q=magnesium",
}
# The load run goes round these, one path per request.
LOAD_MIX_LUA = """
local paths = {"/", "/side-effects/", "/faq/", "/does-it-work/", "/glossary/", "/search/?q=magnesium",
               "/cost-and-insurance/", "/who-should-not-have-it/"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors (connect, read, write, timeout) plus non-2xx/3xx answers


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> WrkResult:
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        errors=errors + (int(non_2xx.group(1)) if non_2xx else 0),
    )


def wrk(url: str, connections: int, seconds: int, script: Path | None = None) -> WrkResult:
    command = [
        "wrk",
        "--latency",
        "-t1",  # one load thread is plenty on loopback, and leaves the server more of the 2 cores
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
    ]
    command += ["-H", f"Host: {HOST}", "-H", "X-Forwarded-Proto: https", "-H", "X-Forwarded-For: 203.0.113.5"]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(result.stdout)


def run() -> Section:
    section = Section(
        f"HTTP: wrk, {CONNECTIONS} connections, {ROUNDS} rounds of {DURATION_SECONDS} s per URL",
        ["URL", "requests/s", "p50 ms", "p99 ms", "errors", "rate / CSS rate", "p99 / CSS p99"],
    )
    with tempfile.TemporaryDirectory(prefix="ivmt-bench-http-") as scratch, postgres_database() as name:
        root = Path(scratch)
        env = production_env(f"{POSTGRES}/{name}", REDIS, root / "static", root)
        env["DJANGO_CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(8)}"
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "loadcontent", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        css = next(p.name for p in (root / "static" / "css").glob("site.*.css") if p.name.count(".") == 2)
        server = Gunicorn(env, root / "gunicorn.log", workers=None).start()
        try:
            base = f"http://127.0.0.1:{server.port}"
            reader = Browser(server)
            targets = {BASELINE: f"/static/css/{css}", **PAGES}
            for path in targets.values():
                assert reader.get(path).status == 200, path  # each page is now in the cache
                wrk(base + path, CONNECTIONS, WARM_UP_SECONDS)  # every worker process warmed up, not timed
            rounds = [
                {label: wrk(base + targets[label], CONNECTIONS, DURATION_SECONDS) for label in round_order(n)}
                for n in range(ROUNDS)
            ]
            for label in targets:
                section.rows.append(row([r[label] for r in rounds], label, [r[BASELINE] for r in rounds]))
            # Both bars are applied to the median of the per-round ratios, each ratio taken from an article
            # and a stylesheet measured back to back. Load from other work that lasts longer than a pair (a
            # test run, say) slows both halves and cancels out of the ratio; a burst that hits only one half
            # skews that one pair, and the median of the pairs leaves it out. A ratio of the two URLs' own
            # medians could instead set one URL's quiet round against the other's busy one.
            rate_ratios = ratios(rounds, ARTICLE, lambda r: r.requests_per_second)
            p99_ratios = ratios(rounds, ARTICLE, lambda r: r.p99_ms)
            rate_ratio, p99_ratio = statistics.median(rate_ratios), statistics.median(p99_ratios)
            p99 = {label: statistics.median(r[label].p99_ms for r in rounds) for label in (ARTICLE, BASELINE)}
            section.bars.append(
                Bar(
                    f"article page rate >= {RATE_RATIO_BAR}x the stylesheet's",
                    f"{rate_ratio:.2f}x",
                    rate_ratio >= RATE_RATIO_BAR,
                )
            )
            section.bars.append(
                Bar(
                    f"article page p99 <= {P99_RATIO_BAR}x the stylesheet's at {CONNECTIONS} connections",
                    f"{p99_ratio:.2f}x (medians {p99[ARTICLE]:.1f} ms and {p99[BASELINE]:.1f} ms)",
                    p99_ratio <= P99_RATIO_BAR,
                )
            )

            script = root / "mix.lua"
            script.write_text(LOAD_MIX_LUA)
            load = wrk(f"{base}/", LOAD_CONNECTIONS, LOAD_SECONDS, script)
            section.rows.append(
                row([load], f"load: 8 pages in turn, {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s")
            )
            section.bars.append(
                Bar(
                    f"{LOAD_CONNECTIONS} connections for {LOAD_SECONDS} s: zero errors",
                    f"{load.errors} errors in {load.requests} requests",
                    load.errors == 0,
                )
            )
        finally:
            server.stop()
        workers = len(re.findall(r"Booting worker", server.logged()))
    section.notes += [
        f"gunicorn in production mode, {workers} worker processes (1 per core + 1) of 4 threads, keep-alive; "
        "PostgreSQL and Redis on 127.0.0.1, the real content loaded; wrk on the same machine, 1 thread. "
        "Every request carries X-Forwarded-Proto: https as the TLS proxy would send.",
        "Pages are warmed first, so these are cache hits: what a burst of readers from one link produces. "
        "A hit is served from the process's memory under the content version it watches through Redis "
        "(ivmt_site/version_watch.py), with no network call, like the stylesheet, which WhiteNoise serves "
        "from the same server.",
        f"Each round measures the article page and the stylesheet back to back ({DURATION_SECONDS} s each, "
        "the stylesheet first in even rounds and second in odd ones), then the FAQ and search pages. Each "
        "figure is the median over the rounds; each ratio, and both bars, the median of the per-round "
        "ratios to that round's stylesheet. Per round, article / stylesheet rate: "
        f"{', '.join(f'{x:.2f}' for x in rate_ratios)}; p99: {', '.join(f'{x:.2f}' for x in p99_ratios)}.",
    ]
    return section


def round_order(number: int) -> list[str]:
    """The URLs of one round: the article page and the stylesheet side by side, taking turns to go first (so
    neither is always the one measured straight after another URL), then the other pages."""
    pair = [BASELINE, ARTICLE] if number % 2 == 0 else [ARTICLE, BASELINE]
    return pair + [label for label in PAGES if label != ARTICLE]


def ratios(
    rounds: list[dict[str, WrkResult]], label: str, figure: Callable[[WrkResult], float]
) -> list[float]:
    """`label`'s figure over the stylesheet's, round by round."""
    return [figure(r[label]) / figure(r[BASELINE]) for r in rounds]


def row(results: list[WrkResult], label: str, baselines: list[WrkResult] | None = None) -> list[str]:
    def median_ratio(figure: Callable[[WrkResult], float]) -> str:
        if baselines is None:
            return ""
        pairs = zip(results, baselines, strict=True)
        return f"{statistics.median(figure(r) / figure(b) for r, b in pairs):.2f}x"

    return [
        label,
        f"{statistics.median(r.requests_per_second for r in results):,.0f}",
        f"{statistics.median(r.p50_ms for r in results):.1f}",
        f"{statistics.median(r.p99_ms for r in results):.1f}",
        str(sum(r.errors for r in results)),
        median_ratio(lambda r: r.requests_per_second),
        median_ratio(lambda r: r.p99_ms),
    ]


if __name__ == "__main__":
    sys.stdout.write(run().markdown())
