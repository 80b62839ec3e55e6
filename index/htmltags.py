"""What an HTML element stands for: a heading, a paragraph, a table or list part, a container of
blocks, or inline text.

Most pages say it with their tags (<h2>, <p>, <div>). Pages built with a design system's custom
elements say it with the element's name: the Dutch government's NL Design System writes
<utrecht-heading-2>, <utrecht-heading level="2">, <utrecht-paragraph> and wraps them in
<utrecht-html-content> or <utrecht-page-body>, and a browser renders them as headings,
paragraphs and blocks. ARIA says it with a role (<div role="heading" aria-level="2">, a table
of <div role="row"> and <span role="cell">, <div role="listitem">). Read by
their tags alone, such a page is one run of text: headings run into the next sentence
("Steun voor ondernemers Heeft u ...") and no passage knows its section. `block_tag` returns
the standard tag an element stands for, so the reader treats it as that.
"""

from __future__ import annotations

import re
from typing import Any

Node = Any  # selectolax.lexbor.LexborNode (untyped)

HEADING_LEVELS = {f"h{n}": n for n in range(1, 7)}  # the heading elements and their levels
PARAGRAPH_TAGS = frozenset("p pre address figcaption dt dd summary legend".split())
CONTAINER_TAGS = frozenset(
    "html body main article section div aside blockquote figure details dl header footer "
    "hgroup center fieldset dialog search li".split()
)
BLOCK_TAGS = (
    PARAGRAPH_TAGS
    | CONTAINER_TAGS
    | frozenset(HEADING_LEVELS)
    | {"ul", "ol", "table", "tr", "td", "th"}
)
# A custom element named as a heading ("utrecht-heading-2", "nl-heading", "x-heading-3"); the
# other names a custom element may carry, and what they stand for. A custom element's name
# always holds a hyphen.
_CUSTOM_HEADING = re.compile(r"-heading(?:-([1-6]))?$")
_CUSTOM_SUFFIXES = (  # in this order: "-ordered-list" before "-list", which "x-ordered-list" has
    ("-paragraph", "p"),
    ("-table", "table"),
    ("-table-row", "tr"),
    ("-table-header-cell", "th"),
    ("-table-cell", "td"),
    ("-table-caption", "caption"),
    ("-ordered-list", "ol"),  # not "-unordered-list": there the hyphen comes before "un"
    ("-list", "ul"),  # "-unordered-list" too
    ("-list-item", "li"),
)
# ARIA roles on a generic element (<div>, <span>) or a custom one; on a standard element its
# own tag says more (<ol role="list"> stays an ordered list).
_ROLE_TAGS = {
    "paragraph": "p",
    "table": "table",
    "grid": "table",
    "row": "tr",
    "cell": "td",
    "gridcell": "td",
    "columnheader": "th",
    "rowheader": "th",
    "list": "ul",
    "listitem": "li",
}
_GENERIC = frozenset({"div", "span"})
DEFAULT_HEADING_LEVEL = 2  # ARIA's default aria-level for role="heading"


def block_tag(node: Node) -> str:
    """Return the standard tag `node` stands for: a heading ("h2"), paragraph, table part or
    list part for an ARIA role on a generic element or for a custom element named as one
    (<utrecht-heading-2>, <utrecht-paragraph>), a container ("div") for any other custom
    element that holds blocks, else its own tag (a custom element without blocks inside, such
    as <utrecht-link>, stays inline)."""
    tag = str(node.tag)
    if tag.startswith("-"):  # "-text", "-comment"
        return tag
    named = _named_tag(node, tag)
    if named is not None:
        return named
    return "div" if "-" in tag and _holds_blocks(node) else tag


def is_heading(node: Node) -> bool:
    """Return whether an element is a heading, standard or named (<h3>, <utrecht-heading-3>,
    role="heading"): told by its own tag, name or role, without looking inside it."""
    tag = str(node.tag)
    return (_named_tag(node, tag) or tag) in HEADING_LEVELS


def holds_a_heading(node: Node) -> bool:
    """Return whether a heading (`is_heading`) stands anywhere inside `node`."""
    return any(is_heading(inner) for inner in node.traverse(include_text=False))


def _named_tag(node: Node, tag: str) -> str | None:
    """Return what an element's ARIA role or custom name says it is, or None."""
    custom = "-" in tag
    if not custom and tag not in _GENERIC:
        return None
    attrs = node.attributes
    role = (attrs.get("role") or "").lower()
    if role == "heading":
        return f"h{_level(attrs.get('aria-level'))}"
    if role in _ROLE_TAGS:
        return _ROLE_TAGS[role]
    if not custom:
        return None
    heading = _CUSTOM_HEADING.search(tag)
    if heading:
        return f"h{heading.group(1) or _level(attrs.get('level') or attrs.get('aria-level'))}"
    return next((std for suffix, std in _CUSTOM_SUFFIXES if tag.endswith(suffix)), None)


def _level(value: str | None) -> int:
    """Return a heading level from an attribute value, DEFAULT_HEADING_LEVEL when not 1-6."""
    text = (value or "").strip()
    return int(text) if text in {"1", "2", "3", "4", "5", "6"} else DEFAULT_HEADING_LEVEL


def _holds_blocks(node: Node) -> bool:
    """Return whether an element has a block among its descendants (standard or named)."""
    for descendant in node.traverse(include_text=False):
        if descendant.mem_id == node.mem_id:
            continue
        tag = str(descendant.tag)
        if tag in BLOCK_TAGS or _named_tag(descendant, tag) is not None:
            return True
    return False
