"""A body checked against the live database: the references and shared blocks that exist now."""

from articles.models import CheckedBody, Reference, SharedBlock
from articles.rendering.body_rules import BodyProblem, body_problems
from articles.rerendering import bodies_beyond_limits_with


def live_body_problems(text: str, *, model: type[CheckedBody], key: str | None) -> list[str]:
    """A body's problems as the admin shows them (a form, or publishing), checked against the references and
    shared blocks in the database: "Line 4: ..." sentences."""
    problems = model.body_problems(
        text.replace("\r\n", "\n"),
        key=key,
        reference_keys=Reference.known_keys(),
        block_names=block_names() if model.USES_BLOCKS else set(),
    )
    messages = as_messages(problems)
    if model is SharedBlock and key and not messages:
        messages += bodies_beyond_limits_with(key, text)
    return messages


def any_body_problems(text: str) -> list[str]:
    """The problems a body has whichever record it belongs to, for the editor's preview (which is not told
    which record it is previewing): the syntax of care cards, citations, shared blocks and pictures, and
    citations or blocks that do not exist. A topic page's shape, and whether a block may use another, are
    checked when the form is saved."""
    problems = body_problems(
        text.replace("\r\n", "\n"),
        reference_keys=Reference.known_keys(),
        block_names=block_names(),
        in_block=False,
        topic_page=False,
    )
    return as_messages(problems)


def block_names() -> set[str]:
    return set(SharedBlock.objects.values_list("slug", flat=True))


def as_messages(problems: list[BodyProblem]) -> list[str]:
    return [
        f"Line {problem.line}: {problem.message}" if problem.line else as_sentence(problem.message)
        for problem in problems
    ]


def as_sentence(problem: str) -> str:
    """A lower-case problem ("a topic page must ...") as the admin shows it: a capitalised sentence."""
    return problem[0].upper() + problem[1:] + "."
