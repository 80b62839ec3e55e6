"""YAML front matter of Markdown files: the simple subset of flat "key: value" pairs."""

from __future__ import annotations

import re
from collections.abc import Sequence

_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_BLOCK_SCALAR = re.compile(r"^[|>][+-]?$")
_DOUBLE_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "/": "/"}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return the front matter of `text` as a dict, and the text after it.

    Text without front matter (or with something that is not a flat mapping) comes back whole.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if _END.match(lines[end]):
            mapping = parse_mapping(lines[1:end])
            if mapping is None:
                return {}, text
            return mapping, "\n".join(lines[end + 1 :])
    return {}, text


def parse_mapping(lines: Sequence[str]) -> dict[str, str] | None:
    """Parse flat `key: value` lines (quoted, plain or block scalars); None if not a mapping."""
    result: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _KEY.match(line)
        if match is None:
            return None
        block: list[str] = []
        while i < len(lines) and (lines[i][:1] in (" ", "\t") or not lines[i].strip()):
            block.append(lines[i].strip())
            i += 1
        value = _value((match.group(2) or "").strip(), [b for b in block if b])
        if value is not None:
            result[match.group(1).lower()] = value
    return result


def _value(raw: str, block: Sequence[str]) -> str | None:
    """Return the scalar value of one key; nested mappings and lists are not supported."""
    if _BLOCK_SCALAR.match(raw):
        return ("\n" if raw[0] == "|" else " ").join(block)
    if not raw or raw[0] in "[{&*!" or raw in ("~", "null"):
        return None
    if raw[0] in "\"'":
        return _quoted(" ".join([raw, *block]))
    plain = re.sub(r"[ \t]+#.*$", "", raw)
    return " ".join([plain, *block]).strip()


def _quoted(raw: str) -> str:
    """Return the content of a single- or double-quoted scalar (up to its closing quote)."""
    quote, out, i = raw[0], [], 1
    while i < len(raw):
        ch = raw[i]
        if quote == "'" and ch == "'":
            if raw[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            break
        if quote == '"' and ch == "\\" and i + 1 < len(raw):
            out.append(_DOUBLE_ESCAPES.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        if quote == '"' and ch == '"':
            break
        out.append(ch)
        i += 1
    return "".join(out)
