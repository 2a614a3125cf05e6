"""Stored bodies rendered again when what they are built from changes.

A page's or FAQ answer's stored HTML holds the glossary links and shared blocks as they were when it was
saved. When a glossary term or a shared block changes (in the admin, by a load, or by a restore from
history), the bodies built from it are rendered again here. Which kinds hold such bodies comes from the
registry.
"""

from django.db import transaction

from articles.models import GlossaryTerm, LoadedFromFile, Reference, RenderedBody, SharedBlock
from articles.registry import body_kinds, content_kinds, kind_of
from articles.rendering.bodies import BodyJob, BodyRendering, render_stored_bodies
from articles.rendering.input_limits import BodyTooComplex
from articles.rendering.renderer import normalize_source
from articles.rendering.shared_blocks import expanded_limit_problems


def body_models() -> list[type[RenderedBody]]:
    """Pages and FAQ answers: bodies that use shared blocks, written last and rendered again when a glossary
    term or a block changes (see articles.registry.body_kinds)."""
    return [kind.model for kind in body_kinds()]


def bodies_using(blocks: set[str] | None) -> list[RenderedBody]:
    """Every page and answer whose body uses one of `blocks` (all of them when `blocks` is None)."""
    return [
        record
        for model in body_models()
        for record in model.objects.all()
        if blocks is None or blocks.intersection(record.shared_blocks)
    ]


def bodies_beyond_limits_with(block: str, source: str) -> list[str]:
    """A sentence for each page or answer using the shared block `block` that, with `source` as the block's
    text, would be beyond the input limits (articles.rendering.input_limits): such a block is refused, since
    the pages using it could not be rendered again."""
    blocks = {**SharedBlock.sources(), block: normalize_source(source)}
    sentences = []
    for record in bodies_using({block}):
        problems = expanded_limit_problems(normalize_source(getattr(record, record.SOURCE_FIELD)), blocks)
        if problems:
            name = f"{type(record)._meta.verbose_name} {getattr(record, type(record).KEY_FIELD)!r} ({record})"
            sentences.append(f"With this text, the {name}, which uses this block, {problems[0].message}.")
    return sentences


def bodies_citing(key: str) -> list[RenderedBody]:
    """Every page, answer and shared block whose body cites the reference `key`."""
    return [
        record
        for kind in content_kinds()
        if kind.has_rendered_body
        for record in kind.model.objects.all()
        if key in record.reference_keys
    ]


def rerender_bodies(
    skip: set[tuple[type, str]] = frozenset(),
    *,
    parallel: bool = False,
    using_blocks: set[str] | None = None,
) -> int:
    """Render pages and answers again: their stored HTML links glossary terms, and holds shared blocks, as
    they were when saved. With `using_blocks`, only the bodies that use one of those blocks.

    `parallel` renders across processes (for commands; the admin calls this inside a web request).
    """
    records: list[RenderedBody] = [
        record
        for record in bodies_using(using_blocks)
        if (type(record), getattr(record, record.KEY_FIELD)) not in skip
    ]
    jobs = [
        BodyJob(
            normalize_source(getattr(record, record.SOURCE_FIELD)),
            record.anchor_prefix_for(getattr(record, type(record).KEY_FIELD)),
        )
        for record in records
    ]
    renderings = render_stored_bodies(
        jobs,
        known_keys=Reference.known_keys(),
        matchers=GlossaryTerm.matchers(),
        blocks=SharedBlock.sources(),
        parallel=parallel,
    )
    for record, rendering in zip(records, renderings, strict=True):
        # Refused (beyond the limits with the blocks as they are now): it keeps the HTML it has. A save in the
        # admin or a load checks the pages using a block first (bodies_beyond_limits_with), so only a
        # render cut off by time, or a change written around those checks, lands here.
        if not isinstance(rendering, BodyTooComplex):
            store_rendering(record, rendering)
    return len(records)


def store_rendering(record: RenderedBody, rendering: BodyRendering) -> None:
    """Store a body rendered again without writing over an edit saved while it rendered (rendering every page
    takes seconds): the row is read again under a lock, only the rendered fields are written, and a body
    whose text changed since is rendered again from the text saved now."""
    model = type(record)
    with transaction.atomic():
        current = model.objects.select_for_update().filter(pk=record.pk).first()
        if current is None:  # deleted meanwhile
            return
        current.prepared_rendering = rendering  # used only if rendered from exactly the text saved now
        current.save(update_fields=model.rendered_fields())


def rerender_after_changing(model: type[LoadedFromFile], keys: set[str]) -> int:
    """Render again the bodies built from the records of `model` keyed `keys`, just saved or deleted (by an
    admin form, or by publishing proposed changes). Their kind says which (`renders_into_bodies` in the
    registry): every body for a glossary term (it links from all of them), the bodies that use them for shared
    blocks, none for other kinds. Returns how many were rendered."""
    renders_into = kind_of(model).renders_into_bodies
    if not keys or renders_into is None:
        return 0
    return rerender_bodies(using_blocks=keys if renders_into == "users" else None)
