"""Markdown bodies with citations: the step between a model's Markdown source and its stored HTML.

Rendering is the loader's main cost (Markdown, then bleach, then glossary links and reading level), so the
functions here touch no database: the loader can run them ahead of saving, in several processes at once, and
hand the results to the models, which store them instead of rendering the same source again.
"""

import os
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

from articles.rendering.citations import link_citations
from articles.rendering.glossary_links import TermMatcher, link_glossary_terms
from articles.rendering.input_limits import BodyTooComplex, check_limits, render_time_limit
from articles.rendering.readability import PageReadability, page_readability
from articles.rendering.renderer import render_markdown
from articles.rendering.shared_blocks import expand_blocks


@dataclass(frozen=True)
class SanitizedBody:
    html: str
    reference_keys: tuple[str, ...]


NO_BLOCKS: Mapping[str, str] = {}


def render_body(
    text: str,
    known_keys: Container[str],
    *,
    anchor_prefix: str = "ref-",
    blocks: Mapping[str, str] = NO_BLOCKS,
) -> SanitizedBody:
    """`text` with its shared blocks put in (see articles.rendering.shared_blocks), citations numbered,
    rendered and sanitized. `blocks` maps each shared block's name to its Markdown. Raises
    input_limits.BodyTooComplex for a body beyond the limits."""
    check_limits(text)
    with render_time_limit():
        cited = link_citations(expand_blocks(text, blocks), known_keys, anchor_prefix=anchor_prefix)
        return SanitizedBody(html=render_markdown(cited.markdown), reference_keys=cited.keys)


@dataclass(frozen=True)
class BodyRendering:
    """Everything a page or answer stores from its Markdown source: sanitized HTML with glossary links, the
    references it cites and its reading level. `source` and `anchor_prefix` say what it was rendered from,
    so that a model uses it only for exactly that source."""

    source: str
    anchor_prefix: str
    html: str
    reference_keys: tuple[str, ...]
    readability: PageReadability


@dataclass(frozen=True)
class BodyJob:
    source: str
    anchor_prefix: str
    # The body already rendered by render_body with the same references (the loader renders each body once,
    # to check its links); None to render it here.
    rendered: SanitizedBody | None = None


def render_stored_body(
    job: BodyJob,
    *,
    known_keys: Container[str],
    matchers: Sequence[TermMatcher],
    blocks: Mapping[str, str] = NO_BLOCKS,
) -> BodyRendering:
    # The time limit is render_body's: on the Markdown, which a hostile body can make slow. Linking glossary
    # terms and measuring the reading level of the sanitized result stay outside it: the measuring loads its
    # dictionaries on first use, which in a cold process on a busy machine took a real page past the limit.
    rendered = job.rendered or render_body(
        job.source, known_keys, anchor_prefix=job.anchor_prefix, blocks=blocks
    )
    html = link_glossary_terms(rendered.html, matchers)
    return BodyRendering(
        source=job.source,
        anchor_prefix=job.anchor_prefix,
        html=html,
        reference_keys=rendered.reference_keys,
        readability=page_readability(html),
    )


# Below this many bodies, starting worker processes costs more than it saves.
PARALLEL_MIN_JOBS = 40


def worker_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_in_processes[T, R](function: Callable[[T], R], items: Iterable[T], *, parallel: bool) -> list[R]:
    """`[function(item) for item in items]`, spread over the machine's cores when `parallel` and there is
    enough work. Only commands ask for processes: forking inside a web server's worker is asking for trouble.

    `function` must be picklable and touch no database (a worker must not use the parent's connection).
    """
    items = list(items)
    workers = min(worker_count(), len(items) // PARALLEL_MIN_JOBS) if parallel else 1
    if workers < 2:
        return [function(item) for item in items]
    # Chunks of a few dozen keep the cost of passing work between processes small.
    chunksize = max(1, min(64, len(items) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items, chunksize=chunksize))


def _render_pair(
    pair: tuple[str, str], *, known_keys: Container[str], blocks: Mapping[str, str]
) -> SanitizedBody | BodyTooComplex:
    source, anchor_prefix = pair
    try:
        return render_body(source, known_keys, anchor_prefix=anchor_prefix, blocks=blocks)
    except BodyTooComplex as refused:
        return refused


def render_bodies(
    pairs: Sequence[tuple[str, str]], *, known_keys: Container[str], blocks: Mapping[str, str]
) -> list[SanitizedBody | BodyTooComplex]:
    """render_body for each (source, anchor_prefix), across processes when there are many; a body beyond
    the limits (articles.rendering.input_limits) gives the refusal instead: one body cannot stop the rest."""
    render = partial(_render_pair, known_keys=known_keys, blocks=blocks)
    return map_in_processes(render, pairs, parallel=True)


def _render_job(job: BodyJob, **context: Any) -> BodyRendering | BodyTooComplex:
    try:
        return render_stored_body(job, **context)
    except BodyTooComplex as refused:
        return refused


def render_stored_bodies(
    jobs: Sequence[BodyJob],
    *,
    known_keys: Container[str],
    matchers: Sequence[TermMatcher],
    blocks: Mapping[str, str],
    parallel: bool,
) -> list[BodyRendering | BodyTooComplex]:
    """render_stored_body for each job; a body beyond the limits gives the refusal instead, so that one body
    cannot stop the rest."""
    render = partial(_render_job, known_keys=known_keys, matchers=matchers, blocks=blocks)
    return map_in_processes(render, jobs, parallel=parallel)
