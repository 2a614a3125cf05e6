"""A content file's text as raw data: UTF-8 text, YAML read as plain strings, lists and mappings, and a
Markdown file split into its front matter and body. Every problem is appended as a ContentError naming the
file and line."""

import codecs
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from articles.content_files.entries import ContentError
from articles.rendering.input_limits import MAX_FILE_BYTES, nul_byte, quoted
from articles.rendering.renderer import normalize_source


def read_text(path: Path, errors: list[ContentError], root: Path | None = None) -> str | None:
    """The file's text, read only if it is safe to: a regular file (a symbolic link only to one inside
    `root`, the content folder; none when `root` is not given) of at most MAX_FILE_BYTES, UTF-8 without a
    byte-order mark or NUL bytes. Nothing is read past the limit, and nothing at all from a device or pipe."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if root is None or not inside(target, real_folder(root)):
                errors.append(
                    ContentError(
                        path,
                        f"is a symbolic link to {str(target)[:300]!r}, outside the content folder: "
                        "content files must be in it (copy the file in instead)",
                    )
                )
                return None
        elif root is not None and not inside(real_folder(path.parent) / path.name, real_folder(root)):
            errors.append(
                ContentError(path, "is reached through a symbolic link to outside the content folder")
            )
            return None
        else:
            target = path
        # Opened without following a symbolic link (the target's was checked above) and without waiting on
        # a pipe.
        descriptor = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        errors.append(ContentError(path, f"cannot be read: {error.strerror}"))
        return None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            errors.append(
                ContentError(
                    path, "is not a regular file (a folder, device, pipe or socket): it was not read"
                )
            )
            return None
        if info.st_size > MAX_FILE_BYTES:
            errors.append(ContentError(path, too_large(info.st_size)))
            return None
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        errors.append(ContentError(path, too_large(len(data))))
        return None
    return decoded(data, path, errors)


@lru_cache(maxsize=1024)
def real_folder(folder: Path) -> Path:
    """A folder's real path, symbolic links resolved (once per folder: a load reads thousands of files)."""
    return folder.resolve()


def inside(path: Path, folder: Path) -> bool:
    return str(path).startswith(f"{folder}{os.sep}")


def too_large(size: int) -> str:
    return f"is {size:,} bytes; the limit for a content file is {MAX_FILE_BYTES:,} bytes (split it up)"


def decoded(data: bytes, path: Path, errors: list[ContentError]) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        errors.append(
            ContentError(path, "starts with a byte-order mark (BOM): save it as UTF-8 without BOM", line=1)
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        errors.append(
            ContentError(path, f"is not UTF-8 text (bad byte at position {error.start})", line=line)
        )
        return None
    if nul := nul_byte(text):
        errors.append(ContentError(path, nul.message, line=nul.line))
        return None
    return text


# libyaml's BaseLoader builds the same plain strings, lists and mappings as the pure-Python one, about ten
# times faster (this matters at thousands of files); text holding characters the pure-Python reader refuses
# goes to that reader, for its message. Either way the document is composed into nodes first, and refused
# if it uses an alias (a few hundred bytes of nested aliases expand to gigabytes) or gives a key twice.
_FAST_LOADER = getattr(yaml, "CBaseLoader", None)
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def load_yaml(source: str, path: Path, errors: list[ContentError], first_line: int = 1) -> Any:
    use_fast = _FAST_LOADER is not None and not _NON_PRINTABLE.search(source)
    loader = (_FAST_LOADER if use_fast else yaml.BaseLoader)(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if problem := node_problem(node, first_line):
            line, message = problem
            errors.append(ContentError(path, message, line=line))
            return None
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark else None
        problem = getattr(error, "problem", None) or str(error)
        errors.append(ContentError(path, f"YAML is not valid: {problem}", line=line))
        return None
    except RecursionError:
        errors.append(ContentError(path, "YAML is not valid: it nests too deeply"))
        return None
    finally:
        loader.dispose()


def node_problem(root: yaml.Node, first_line: int) -> tuple[int, str] | None:
    """(file line, problem) for the first alias or key given twice in a composed YAML document whose first
    line is the file's `first_line`.
    An alias is composed as the very node it names, so a node met twice is one."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node.start_mark.line + first_line, (
                "YAML aliases and anchors ('&name', '*name') are not allowed in content files: write "
                "the value out in full"
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_at: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in first_at:
                        return key.start_mark.line + first_line, (
                            f"key {quoted(key.value)} is given twice (first on line "
                            f"{first_at[key.value] + first_line}): keep one"
                        )
                    first_at[key.value] = key.start_mark.line
                stack += [value, key]
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
    return None


@dataclass(frozen=True)
class MarkdownFile:
    front: Any  # the front matter as raw YAML data
    body: str
    body_line: int  # the file line the body starts on


def split_markdown_file(
    path: Path, errors: list[ContentError], root: Path | None = None
) -> MarkdownFile | None:
    source = read_text(path, errors, root)
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
