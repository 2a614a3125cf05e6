"""The decision aid on the options page: its table, its "what matters to you" choices, and the summary a
reader can print or show their doctor.

The table is made of the options' stored cells (DecisionOption); its citations join the numbered reference
list of the article it sits on. The summary is built from the query string alone: nothing a reader picks is
stored (the views say so, and never cache it).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.text import slugify

from articles.models import CERTIFICATION_HEADING, DecisionOption, Reference, references_in_order
from articles.rendering.citations import link_citations

# The article's last section, which the table and form come before; its id is the one the renderer gives
# the heading (content/README.md, "Decision aid").
CERTIFICATION_ID = slugify(CERTIFICATION_HEADING)
CERTIFICATION_START = f'<h2 id="{CERTIFICATION_ID}">'
# Where the page shows the table and the form, and how its "On this page" list names them.
TABLE_SECTION = {"id": "compare", "title": "Compare the options"}
FORM_SECTION = {"id": "what-matters", "title": "What matters to you"}


@dataclass(frozen=True)
class Row:
    option: DecisionOption
    html: str  # the cell, sanitized on save, with its citations numbered for this page


@dataclass(frozen=True)
class QuestionRows:
    field: str
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Table:
    questions: tuple[QuestionRows, ...]
    reference_keys: tuple[str, ...]  # the page's whole list: what came before, then the table's own

    def references(self) -> list[Reference]:
        return references_in_order(list(self.reference_keys))


def compare_table(
    options: Sequence[DecisionOption],
    fields: Iterable[str] | None = None,
    *,
    cited_before: Sequence[str] = (),
    anchor_prefix: str = "ref-",
) -> Table:
    """The options' answers, question by question (`fields`, or every question), in reading order, with
    citations numbered after `cited_before`."""
    wanted = set(DecisionOption.CITING_FIELDS if fields is None else fields)
    known = Reference.known_keys()
    keys: Sequence[str] = cited_before
    questions = []
    for question in DecisionOption.QUESTIONS:
        if question.field not in wanted:
            continue
        rows = []
        for option in options:
            cell = option.cell_html(question.field)
            cited = link_citations(cell, known, anchor_prefix=anchor_prefix, cited_before=keys)
            keys = cited.keys
            rows.append(Row(option, without_citations(cited.markdown, {miss.key for miss in cited.unknown})))
        questions.append(QuestionRows(question.field, question.label, tuple(rows)))
    return Table(tuple(questions), tuple(keys))


def without_citations(html: str, keys: set[str]) -> str:
    """`html` without the citations of `keys`: a reference deleted since the cell was saved is not shown as
    '[@key]' to readers."""
    if not keys:
        return html
    return re.sub("|".join(re.escape(f"[@{key}]") for key in sorted(keys)), "", html)


def sections_with_table(sections: Sequence[Mapping[str, str]]) -> list[Mapping[str, str]]:
    """The article's "On this page" list, with the table and the form where the page shows them."""
    ids = [section["id"] for section in sections]
    at = ids.index(CERTIFICATION_ID) if CERTIFICATION_ID in ids else len(ids)
    return [*sections[:at], TABLE_SECTION, FORM_SECTION, *sections[at:]]


def split_at_certification(html: str) -> tuple[str, str]:
    """The article's body before its "About this comparison" section, and that section (empty when the body
    has none: the table and form then follow the whole body)."""
    before, heading, after = html.partition(CERTIFICATION_START)
    return before, heading + after


@dataclass(frozen=True)
class Choice:
    value: str  # what the form sends
    label: str
    fields: tuple[str, ...] = ()  # for what matters: the table's questions that speak to it


# What a reader may say matters most, and the table's questions that answer each. The list holds values that
# can count for each option, not only against the drip (IPDAS: values clarification without a nudge).
MATTERS = (
    Choice("proof", "Good proof that it works", ("works", "sure")),
    Choice("side-effects", "Few or mild side effects", ("side_effects",)),
    Choice("cost", "What it costs me", ("cost",)),
    Choice("needles", "Avoiding needles and clinic visits", ("taken", "effort")),
    Choice("no-daily-pill", "Not having to take something every day", ("taken", "living")),
    Choice(
        "not-prescription", "Trying something other than prescription medicines", ("taken", "side_effects")
    ),
    Choice("time", "How much time and effort it takes", ("effort",)),
    Choice("daily-life", "How it fits my daily life", ("living",)),
)
# The summary always shows how well each option works, how sure we are, and its side effects: benefits and
# harms together, whatever was ticked.
ALWAYS_SHOWN = ("works", "sure", "side_effects")
QUESTIONS_TO_ASK = (
    Choice("proof", "Is there good proof that this works for migraine like mine?"),
    Choice("safe", "Is it safe for me, with my health and the medicines I take?"),
    Choice("attacks", "Am I treating my attacks in the best way now?"),
    Choice("diary", "How will we tell if it helps? Should I keep a headache diary first?"),
    Choice("how-long", "How long should I try it before we decide?"),
    Choice("cost", "What will it cost in total, and will my insurance pay?"),
    Choice("side-effects", "What should I do if I get side effects?"),
)
NOT_SURE = "not-sure"  # the form's default answer to "which option I lean towards"


@dataclass(frozen=True)
class Summary:
    matters: tuple[Choice, ...]
    options: tuple[DecisionOption, ...]
    leaning: DecisionOption | None  # None: not sure yet
    questions: tuple[Choice, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        """The table's questions the summary shows: the benefits and harms of each option, and those that
        speak to what matters to the reader."""
        chosen = {*ALWAYS_SHOWN, *(field for choice in self.matters for field in choice.fields)}
        return tuple(field for field in DecisionOption.CITING_FIELDS if field in chosen)


def picked(choices: Sequence[Choice], values: Iterable[str]) -> tuple[Choice, ...]:
    """The choices whose values were sent, in the form's order; unknown values are ignored."""
    sent = set(values)
    return tuple(choice for choice in choices if choice.value in sent)


def summary_from(query: Mapping[str, list[str]], options: Sequence[DecisionOption]) -> Summary:
    """What a reader picked on the form (`query`: each name's values, as QueryDict.lists() gives them).
    Anything not on the form is ignored, so a hand-made address can only show what the form could."""
    sent_options = set(query.get("option", []))
    shown = tuple(option for option in options if option.slug in sent_options) or tuple(options)
    leaning_values = query.get("leaning", [])
    leaning = next((option for option in options if option.slug in leaning_values), None)
    return Summary(
        matters=picked(MATTERS, query.get("matters", [])),
        options=shown,
        leaning=leaning,
        questions=picked(QUESTIONS_TO_ASK, query.get("ask", [])),
    )
