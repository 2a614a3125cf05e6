"""`make bench` (python -m tests.bench): every benchmark, one table each, written to tests/bench/results.md.

Exits non-zero when any bar is missed. Runs on loopback only: PostgreSQL and Redis at 127.0.0.1, gunicorn on a
free local port.
"""

import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from tests.bench import front_bench, http_bench, loader_bench, search_bench
from tests.bench.report import Bar, Section

RESULTS = Path(__file__).resolve().parent / "results.md"
BENCH_DATABASE = "postgres://postgres@127.0.0.1:5432/ivmt_bench"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True, check=False).stdout
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; PostgreSQL {postgres}; "
        f"Redis {redis.split()[2].removeprefix('v=') if redis else 'unknown'}; shared with other work, so "
        "absolute figures vary between runs and the ratios are what to compare"
    )


def main() -> int:
    started = time.monotonic()
    sections: list[Section] = []
    for name, bench in [
        ("HTTP", http_bench.run),
        ("front server", front_bench.run),
        ("loader", lambda: loader_bench.run(BENCH_DATABASE, Path("/tmp/ivmt-bench-loader"))),
        ("search", lambda: search_bench.run(BENCH_DATABASE)),
    ]:
        sys.stderr.write(f"== {name} benchmark\n")
        try:
            section = bench()
        # A command that failed or ran past its time limit fails the run, and the other parts still run.
        except (subprocess.SubprocessError, AssertionError) as error:
            traceback.print_exc()
            # The last line of a command's output (of a traceback, say) is the one that says what went wrong.
            last_line = next((line for line in reversed(str(error).splitlines()) if line.strip()), "")
            message = f"{type(error).__name__}: {last_line.strip()[:200]}"
            section = Section(f"{name}: did not finish", ["error"], [[message.replace("|", "/")]])
            section.bars.append(Bar(f"the {name} benchmark finishes", "no", False))
        sections.append(section)
        sys.stdout.write(section.markdown() + "\n")
    missed = [bar for section in sections for bar in section.bars if not bar.passed]
    report = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` in "
            f"{(time.monotonic() - started) / 60:.1f} minutes, on {machine()}.",
            "",
            *(section.markdown() for section in sections),
            f"**{'All bars met.' if not missed else f'{len(missed)} bar(s) missed.'}**",
            "",
        ]
    )
    RESULTS.write_text(report)
    sys.stdout.write(f"Written to {RESULTS}\n")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
