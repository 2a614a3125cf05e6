"""A content file's text as raw data: UTF-8 text, YAML read as plain strings, lists and mappings, and a
Markdown file split into its front matter and body. Every problem is appended as a ContentError naming the
file and line."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from articles.content_files.entries import ContentError
from articles.rendering.renderer import normalize_source


def read_text(path: Path, errors: list[ContentError]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        errors.append(ContentError(path, f"is not UTF-8 text (bad byte at position {error.start})"))
    except OSError as error:
        errors.append(ContentError(path, f"cannot be read: {error.strerror}"))
    return None


# libyaml's BaseLoader builds the same plain strings, lists and mappings as the pure-Python one, about ten
# times faster (this matters at thousands of files). Text holding characters the pure-Python reader refuses,
# and any text libyaml cannot parse, is read by the pure-Python loader, which reports problems as before.
_FAST_LOADER = getattr(yaml, "CBaseLoader", None)
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def load_yaml(source: str, path: Path, errors: list[ContentError], first_line: int = 1) -> Any:
    if _FAST_LOADER is not None and not _NON_PRINTABLE.search(source):
        try:
            return yaml.load(source, Loader=_FAST_LOADER)  # noqa: S506 - builds only str/list/dict
        except yaml.YAMLError:
            pass
    try:
        return yaml.load(source, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str/list/dict
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark else None
        problem = getattr(error, "problem", None) or str(error)
        errors.append(ContentError(path, f"YAML is not valid: {problem}", line=line))
        return None


@dataclass(frozen=True)
class MarkdownFile:
    front: Any  # the front matter as raw YAML data
    body: str
    body_line: int  # the file line the body starts on


def split_markdown_file(path: Path, errors: list[ContentError]) -> MarkdownFile | None:
    source = read_text(path, errors)
    if source is None:
        return None
    handler = frontmatter.YAMLHandler()
    if not handler.detect(source):
        errors.append(
            ContentError(path, "has no front matter: the file must start with a line '---'", line=1)
        )
        return None
    try:
        raw_front, body = handler.split(source)
    except ValueError:
        errors.append(ContentError(path, "front matter is not closed by a second '---' line", line=1))
        return None
    # raw_front starts right after the first '---', so YAML's line 0 is file line 1.
    data = load_yaml(raw_front, path, errors, first_line=1)
    if data is None and errors and errors[-1].path == path:
        return None
    # The body starts after the front matter and the blank lines that normalize_source drops.
    before_body = source[: len(source) - len(body)] + body[: len(body) - len(body.lstrip("\r\n"))]
    body = normalize_source(body)
    if not body.strip():
        errors.append(ContentError(path, "body is empty: write the page's text below the front matter"))
        return None
    return MarkdownFile(data, body, body_line=before_body.count("\n") + 1)
