"""HTTP benchmark: wrk on loopback against gunicorn in production mode, on PostgreSQL and Redis.

Each page's rate is compared with the same server's stylesheet (served by WhiteNoise from memory), measured
in the same run: the machine is shared and noisy, so only the ratio is comparable between runs. Then a load
run of 200 connections for 60 seconds over a mix of pages must finish without a single error.
"""

import re
import secrets
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.bench.report import Bar, Section
from tests.servers import HOST, POSTGRES, REDIS, Browser, Gunicorn, manage, postgres_database, production_env

CONNECTIONS = 64
ROUNDS = 5
DURATION_SECONDS = 4  # per URL per round
WARM_UP_SECONDS = 2
LOAD_CONNECTIONS = 200
LOAD_SECONDS = 60
PAGES = {
    "article page (/side-effects/)": "/side-effects/",
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
        ["URL", "requests/s", "p50 ms", "p99 ms", "errors", "rate / CSS rate"],
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
            targets = {"stylesheet (baseline)": f"/static/css/{css}", **PAGES}
            for path in targets.values():
                assert reader.get(path).status == 200, path  # each page is now in the cache
                wrk(base + path, CONNECTIONS, WARM_UP_SECONDS)  # every worker process warmed up, not timed
            # Rounds of every URL in turn, so a burst of other work on the machine hits all of them alike;
            # each figure is the median over the rounds, each ratio the median of per-round ratios.
            rounds = [
                {label: wrk(base + path, CONNECTIONS, DURATION_SECONDS) for label, path in targets.items()}
                for _ in range(ROUNDS)
            ]
            for label in targets:
                section.rows.append(
                    row(label, [r[label] for r in rounds], [r["stylesheet (baseline)"] for r in rounds])
                )
            ratio = median_ratio(rounds, "article page (/side-effects/)")
            article_p99 = statistics.median(r["article page (/side-effects/)"].p99_ms for r in rounds)
            section.bars.append(
                Bar("article page rate >= 0.7x the stylesheet's", f"{ratio:.2f}x", ratio >= 0.7)
            )
            section.bars.append(
                Bar(
                    f"article page p99 < 50 ms at {CONNECTIONS} connections",
                    f"{article_p99:.1f} ms",
                    article_p99 < 50,
                )
            )

            script = root / "mix.lua"
            script.write_text(LOAD_MIX_LUA)
            load = wrk(f"{base}/", LOAD_CONNECTIONS, LOAD_SECONDS, script)
            section.rows.append(
                row(f"load: 8 pages in turn, {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s", [load], None)
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
        f"Each figure is the median of {ROUNDS} rounds of {DURATION_SECONDS} s taken in turn; the machine is "
        "shared, and single runs of the stylesheet alone ranged from about 1,100 to 4,700 requests/s.",
    ]
    return section


def median_ratio(rounds: list[dict[str, WrkResult]], label: str) -> float:
    return statistics.median(
        r[label].requests_per_second / r["stylesheet (baseline)"].requests_per_second for r in rounds
    )


def row(label: str, results: list[WrkResult], baselines: list[WrkResult] | None) -> list[str]:
    ratio = (
        statistics.median(
            r.requests_per_second / b.requests_per_second for r, b in zip(results, baselines, strict=True)
        )
        if baselines
        else None
    )
    return [
        label,
        f"{statistics.median(r.requests_per_second for r in results):,.0f}",
        f"{statistics.median(r.p50_ms for r in results):.1f}",
        f"{statistics.median(r.p99_ms for r in results):.1f}",
        str(sum(r.errors for r in results)),
        f"{ratio:.2f}x" if ratio is not None else "",
    ]


if __name__ == "__main__":
    sys.stdout.write(run().markdown())
