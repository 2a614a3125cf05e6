"""The limits that keep reading and rendering content fast, whoever wrote it: every limit is stated here once.

Python-Markdown is quadratic or worse on some inputs (each '[' scans ahead for its ']'; lists and quotes
nest by recursion, so 300 levels raise RecursionError), so a body is checked against these limits before it is
rendered: by the loader for a file, by the admin's forms, and by the renderer itself for every other door
(the staff previews), which refuses with `BodyTooComplex` rather than hang or crash. The limits are far above
what real content uses (the largest file is about 22 KB, the deepest list 2 levels).
"""

import ctypes
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import NamedTuple

# A content file is read only when it is at most this size (checked before reading it).
MAX_FILE_BYTES = 256 * 1024
# A Markdown body: about six times the longest page; a body within all the limits renders in well under
# a second.
MAX_BODY_CHARACTERS = 64_000
# Lists and block quotes inside one another (each '>', list marker or four-space indent is one level).
MAX_NESTING_DEPTH = 20
# Python-Markdown reads ahead from each '[' to its ']' (or to the end of the paragraph when there is none),
# once for links and once for images: the characters read ahead, summed over a body, must stay below this.
MAX_BRACKET_READ_AHEAD = 400_000
# Likewise Python's HTML parser reads ahead from each '<' that starts a tag to the '>' that ends it.
MAX_TAG_READ_AHEAD = 200_000
# Characters without a space or line break between them ("www.a-a-a-..." or "(((..."): bleach's link finder
# is quadratic in such a word and, running in C, cannot be stopped by the time limit below (62,000 characters
# took 17 seconds; 2,000 take a few hundredths). The longest in the real content (a web address) is 146.
MAX_WORD_CHARACTERS = 2_000
# What the checks above cannot foresee (Python-Markdown, html5lib and bleach have other slow corners) is cut
# off by time: a body taking more processor time than this to render is refused (real pages: a tenth of it).
RENDER_TIME_LIMIT_SECONDS = 1.0
_WATCH_INTERVAL_SECONDS = 0.05
# A problem quotes at most this much of what it found.
MAX_QUOTE_CHARACTERS = 60

_CONTAINER_MARK = re.compile(r" {0,3}> ?| {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]|    |\t")
# A line starting with more characters that can open a level than the limit has levels (searched from a
# newline, which the regular expression engine finds fast; the text is searched with one put first).
_LONG_LINE_START = re.compile(rf"\n[ \t>*+\-0-9.)]{{{MAX_NESTING_DEPTH + 1}}}")
_TAG_START = re.compile(r"<[a-zA-Z]")
# From a tag start to just before the next '>' (or the end of the text).
_TAG_SPAN = re.compile(r"<[a-zA-Z][^>]*")
_WORD = re.compile(r"\S+")
# A bracket, an escaped character (which opens or closes nothing), or the start of a blank line. A backslash
# before a line break escapes nothing: Python-Markdown splits paragraphs at blank lines first.
_BRACKET_TOKEN = re.compile(r"\\[^\n]|\[|\]|\n[ \t]*(?=\n)")


class LimitProblem(NamedTuple):
    line: int | None  # line of the body
    message: str  # lower-case, to follow "file:line: " or "Line N: "


class BodyTooComplex(ValueError):
    """A body beyond the limits above: rendering it is refused (see `limit_problems`)."""

    def __init__(self, problems: list[LimitProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))

    def __reduce__(self) -> tuple[type["BodyTooComplex"], tuple[list[LimitProblem]]]:
        return BodyTooComplex, (self.problems,)  # crosses from a worker process whole

    def sentences(self) -> list[str]:
        """The problems as the admin shows them: "Line 4: ..." or a capitalised sentence."""
        return [
            f"Line {problem.line}: {problem.message}"
            if problem.line
            else problem.message[:1].upper() + problem.message[1:]
            for problem in self.problems
        ]


def quoted(text: str) -> str:
    """`text` as a problem quotes it: repr, cut short."""
    if len(text) <= MAX_QUOTE_CHARACTERS:
        return repr(text)
    return repr(text[:MAX_QUOTE_CHARACTERS]) + f"... ({len(text):,} characters)"


def nesting_depth(line: str) -> int:
    """How many lists, quotes and indents `line` is inside, as its leading marks say."""
    depth = 0
    position = 0
    while match := _CONTAINER_MARK.match(line, position):
        depth += 1
        position = match.end()
    return depth


def too_deep(text: str) -> LimitProblem | None:
    if not _LONG_LINE_START.search("\n" + text):
        return None  # each level takes at least one of these characters at the start of a line
    for number, line in enumerate(text.split("\n"), start=1):
        depth = nesting_depth(line)
        if depth > MAX_NESTING_DEPTH:
            return LimitProblem(
                number,
                f"lists, quotes and indents nest {depth} levels deep here; the limit is {MAX_NESTING_DEPTH}",
            )
    return None


def bracket_read_ahead(text: str) -> tuple[int, int | None]:
    """How many characters Python-Markdown reads ahead from the '['s of `text` looking for their ']' (each
    paragraph on its own; an escaped bracket does not count), and the line of the '[' it reads furthest
    from."""
    # Each '[' reads at most to the end of its paragraph, which ends at the latest at the next "\n\n" (a blank
    # line may also hold spaces): most texts are well within the limit by this measure alone.
    at_most = sum(paragraph.count("[") * len(paragraph) for paragraph in text.split("\n\n"))
    if at_most <= MAX_BRACKET_READ_AHEAD:
        return 0, None
    total = 0
    furthest = (0, 0)
    open_at: list[int] = []

    def close(start: int, end: int) -> None:
        nonlocal total, furthest
        total += end - start
        furthest = max(furthest, (end - start, start))

    for token in _BRACKET_TOKEN.finditer(text):
        mark = token.group()
        if mark == "[":
            open_at.append(token.start())
        elif mark == "]":
            if open_at:
                close(open_at.pop(), token.start())
        elif mark[0] == "\n":  # a blank line ends the paragraph: what is open there is never closed
            while open_at:
                close(open_at.pop(), token.start())
    while open_at:
        close(open_at.pop(), len(text))
    if total == 0:
        return 0, None
    return total, text.count("\n", 0, furthest[1]) + 1


def long_word(text: str) -> tuple[int, str, int] | None:
    """The first run of characters without a space or line break longer than MAX_WORD_CHARACTERS: its
    length, its start and its line."""
    # A word never runs past the end of a line, and splitting into lines is fast: most texts end here.
    if max(map(len, text.splitlines()), default=0) <= MAX_WORD_CHARACTERS:
        return None
    word = next((match for match in _WORD.finditer(text) if len(match[0]) > MAX_WORD_CHARACTERS), None)
    if word is None:
        return None  # long lines, short words
    return len(word[0]), word[0], text.count("\n", 0, word.start()) + 1


def tag_read_ahead(text: str) -> tuple[int, int | None]:
    """How many characters the HTML parser reads ahead from each '<' that starts a tag to the next '>' (to
    the end of the text when there is none), and the line of the first tag start."""
    first_start = _TAG_START.search(text)
    if first_start is None:
        return 0, None
    first_line = text.count("\n", 0, first_start.start()) + 1
    spans = _TAG_SPAN.findall(text)
    if len(spans) == len(_TAG_START.findall(text)):
        # No tag starts inside another's span, so the spans are what each tag start reads ahead.
        return sum(map(len, spans)), first_line
    total = 0
    next_end = -1
    for start in _TAG_START.finditer(text):
        if next_end < start.start():
            found = text.find(">", start.start())
            next_end = len(text) if found < 0 else found
        total += next_end - start.start()
    return total, first_line


def nul_byte(text: str) -> LimitProblem | None:
    """The first NUL byte in `text` (which a file, a form or the database may not hold), if any."""
    if "\x00" not in text:
        return None
    line = text.count("\n", 0, text.index("\x00")) + 1
    return LimitProblem(line, "holds a NUL byte (character 0), which text may not contain")


def limit_problems(text: str) -> list[LimitProblem]:
    """What in a Markdown body is beyond the limits; empty when it may be rendered. Fast (linear) on any
    input: this runs before anything slower looks at the body."""
    if len(text) > MAX_BODY_CHARACTERS:
        return [
            LimitProblem(
                None,
                f"the text is {len(text):,} characters long; the limit is {MAX_BODY_CHARACTERS:,}: "
                "split it into several pages",
            )
        ]
    problems = []
    if nul := nul_byte(text):
        problems.append(nul)
    if deep := too_deep(text):
        problems.append(deep)
    if word := long_word(text):
        length, start, line = word
        problems.append(
            LimitProblem(
                line,
                f"{length:,} characters without a space or line break ({quoted(start)}); the limit is "
                f"{MAX_WORD_CHARACTERS:,}: put spaces between words",
            )
        )
    return problems + read_ahead_problems(text)


def joined_limit_problems(text: str) -> list[LimitProblem]:
    """What is beyond the limits in `text`, made by putting whole lines of texts that are each within them
    into one another (a page with its shared blocks put in). Only what adds up across lines can be: the
    length, and how far '[' and '<' read ahead; each line's own limits (NUL, nesting, word length) hold
    already. Cheaper than limit_problems, which the renderer still applies to what it renders."""
    if len(text) > MAX_BODY_CHARACTERS:
        return limit_problems(text)  # says the length
    return read_ahead_problems(text)


def read_ahead_problems(text: str) -> list[LimitProblem]:
    """Too many '[' or '<' left open: what makes Markdown or the HTML parser read ahead quadratically."""
    problems = []
    read_ahead, line = bracket_read_ahead(text)
    if read_ahead > MAX_BRACKET_READ_AHEAD:
        problems.append(
            LimitProblem(
                line,
                "too many '[' left open or nested in one paragraph to render in reasonable time: close each "
                "'[' with ']', or write '\\[' for a bracket meant as text",
            )
        )
    read_ahead, line = tag_read_ahead(text)
    if read_ahead > MAX_TAG_READ_AHEAD:
        problems.append(
            LimitProblem(
                line,
                "too many '<' that start an HTML tag without a '>' to end it, to render in reasonable time: "
                "end each tag with '>', or write '&lt;' for a '<' meant as text",
            )
        )
    return problems


def check_limits(text: str) -> None:
    """Raise BodyTooComplex when `text` is beyond the limits."""
    if problems := limit_problems(text):
        raise BodyTooComplex(problems)


class _RenderTimedOut(BaseException):
    """Raised inside the rendering thread when its time is up (a BaseException: no library catches it)."""


_timing = threading.local()


def _processor_time(thread_id: int) -> Callable[[], float]:
    """A clock of the processor time the thread has used, readable from another thread (wall time where the
    system cannot tell, as on macOS)."""
    try:
        clock = time.pthread_getcpuclockid(thread_id)
    except (AttributeError, OSError):
        return time.monotonic
    return partial(time.clock_gettime, clock)


@contextmanager
def render_time_limit(seconds: float = RENDER_TIME_LIMIT_SECONDS) -> Iterator[None]:
    """Raise BodyTooComplex when the block uses more than `seconds` of this thread's processor time (not
    wall time: a busy machine must not refuse a page that an idle one accepts). A watching thread raises an
    exception in this one, which CPython checks for between bytecodes, so pure-Python rendering stops; a
    regular expression running in C finishes first, which is why the checks above exist. Nested uses share
    the outermost limit."""
    if getattr(_timing, "active", False):
        yield
        return
    thread_id = threading.get_ident()
    used = _processor_time(thread_id)
    started = used()
    lock = threading.Lock()
    finished = threading.Event()
    running = True

    def watch() -> None:
        while not finished.wait(_WATCH_INTERVAL_SECONDS):
            with lock:
                if running and used() - started > seconds:
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(thread_id), ctypes.py_object(_RenderTimedOut)
                    )
                    return

    watcher = threading.Thread(target=watch, daemon=True, name="render-time-limit")
    _timing.active = True
    try:
        watcher.start()
        try:
            yield
        finally:
            # Inside the try: an interruption that lands while the block ends is still caught below.
            with lock:
                running = False
            finished.set()
    except _RenderTimedOut:
        raise BodyTooComplex(
            [
                LimitProblem(
                    None,
                    f"the text takes more than {seconds:g} seconds to render, so it cannot be used; "
                    "look for long runs of the same mark ('<', '|', '&', '[') or deep nesting",
                )
            ]
        ) from None
    finally:
        _timing.active = False
