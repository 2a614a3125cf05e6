"""A body checked against the live database: the references and shared blocks that exist now."""

from articles.models import Reference, RenderedBody, SharedBlock
from articles.rendering.body_rules import body_problems


def live_body_problems(text: str, *, model: type[RenderedBody], key: str | None) -> list[str]:
    """A body's problems as the admin shows them (a form, or publishing), checked against the references and
    shared blocks in the database: "Line 4: ..." sentences."""
    block_names = set(SharedBlock.objects.values_list("slug", flat=True)) if model.USES_BLOCKS else set()
    problems = body_problems(
        text.replace("\r\n", "\n"),
        reference_keys=Reference.known_keys(),
        block_names=block_names,
        in_block=not model.USES_BLOCKS,
        topic_page=key is not None and model.is_topic_key(key),
        closing_section=model.closing_section_for(key) if key is not None else None,
    )
    return [
        f"Line {problem.line}: {problem.message}" if problem.line else as_sentence(problem.message)
        for problem in problems
    ]


def as_sentence(problem: str) -> str:
    """A lower-case problem ("a topic page must ...") as the admin shows it: a capitalised sentence."""
    return problem[0].upper() + problem[1:] + "."
