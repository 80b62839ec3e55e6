"""Site boilerplate on web pages: menus, cookie notices, breadcrumbs, share bars, sidebars.

A page saved from a government site holds one article among the site's furniture. The
reader starts from <main>, else from the page's one <article>, else from the element that
holds most of the paragraph text, and leaves out what the markup marks as furniture.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from index.htmltags import HEADING_LEVELS, block_tag, holds_a_heading, is_heading

Node = Any  # selectolax.lexbor.LexborNode (untyped)

# Always left out. <nav> holds menus, breadcrumbs and "op deze pagina" lists.
DROPPED_TAGS = frozenset(
    "script style noscript template nav iframe svg math form button select textarea "
    "object embed canvas audio video map head -comment".split()
)
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
_OUTSIDE_ARTICLE_TAGS = frozenset({"aside", "footer"})  # an article's own may hold content
_OUTSIDE_ARTICLE_ROLES = frozenset({"complementary"})
# ARIA's roles of a notice set apart from the text around it: "note" (content parenthetic or
# ancillary to the main content), "status" and "alert" (advisory and important information).
# The NL Design System's alerts carry them (<div class="utrecht-alert" role="status">).
_NOTICE_ROLES = frozenset({"note", "status", "alert"})
# Class, id or aria-label words of site furniture, matched as a whole or as a part between
# "-" or "_" ("cookie-notice", "share-block", "menu--main", "footer__links").
_FURNITURE = re.compile(
    r"(?:^|[-_])(?:cookie\w*|consent|gdpr|breadcrumbs?|kruimelpad\w*|crumbs?|"
    r"share|sharing|social|deel|delen|deel-?deze-?pagina|"
    r"related|gerelateerd\w*|zie-?ook|lees-?ook|"
    r"sidebar|skip-?links?|newsletter|nieuwsbrief|feedback|"
    r"toc|table-?of-?contents|inhoudsopgave|op-?deze-?pagina|"
    r"menu|navbar|\w*navigation|\w*navigatie|nav|site-?header|site-?footer)(?:$|[-_])"
)
_OUTSIDE_ARTICLE_FURNITURE = re.compile(
    r"(?:^|[-_])(?:site-?header|page-?header|header|site-?footer|page-?footer|footer)(?:$|[-_])"
)
_TEXT_TAGS = frozenset("p li dd dt td th summary blockquote pre".split())
# Class or id words of a collapsible panel: an accordion's answer is page text, hidden or not.
_DISCLOSURE = re.compile(
    r"(?:^|[-_])(?:accordions?|collaps\w*|uitklap\w*|expand\w*|disclosure|faq\w*)(?:$|[-_])"
)
# What a panel is: a block, not an icon inside the button ("accordion__icon", aria-hidden "+").
_PANEL_TAGS = frozenset("div section article dl dd ul ol p".split())
# Class names of text for screen readers only ("(opent in een nieuw venster)", "externe
# link"): a sighted reader never sees it, and in a quoted sentence it is noise.
_SCREEN_READER_ONLY = re.compile(
    r"^(?:[\w-]*[-_])?(?:sr-only|visually-?hidden|visuallyhidden|screen-?reader-{0,2}(?:text|only)|"
    r"element-invisible|offscreen)$"
)
_HEADINGS_SELECTOR = ", ".join(HEADING_LEVELS)
_LABEL_BUTTON = "data-mkb-label"  # set on a button whose text labels a section (see below)
_HEADING_BUTTON = "data-mkb-heading"  # set on a button that holds a heading (see below)
_HEADING_BUTTONS = ", ".join(f"{tag} button" for tag in HEADING_LEVELS) + ", summary button"
DOMINANT_SHARE = 0.8  # descend into a child that holds this much of the paragraph text
# An aside whose text is this much link text is a list of links ("Zie ook"), not a callout.
# Not fitted: a callout's sentence with one link in it stays far below, a link list far above.
LINK_SHARE = 0.8


def content_root(tree: LexborHTMLParser) -> Node | None:
    """Return the element that holds the page's content."""
    main = tree.css_first("main, [role=main]")
    if main is not None:
        return main
    articles = tree.css("article, [role=article]")
    if len(articles) == 1 and articles[0].css_first(",".join(_TEXT_TAGS)) is not None:
        return articles[0]
    body = tree.body
    return _dominant_descendant(body) if body is not None else tree.root


def is_article(node: Node) -> bool:
    """Return True for the element of an article, inside which asides and footers count."""
    return node.tag == "article" or (node.attributes.get("role") or "").lower() == "article"


def is_main(node: Node) -> bool:
    """Return True for the page's main content (<main>), which by definition holds no site
    header or footer: inside it, a "page-header" holding the title, a callout <aside> and the
    article's own footer count, as inside an article (furniture by name still does not)."""
    return node.tag == "main" or (node.attributes.get("role") or "").lower() == "main"


def is_aside(node: Node) -> bool:
    """Return True for content set apart from the text around it: an <aside> or an element of
    ARIA's role "complementary" (a sidebar outside an article, a callout inside one)."""
    role = (node.attributes.get("role") or "").lower()
    return node.tag == "aside" or role in _OUTSIDE_ARTICLE_ROLES


def is_notice(node: Node) -> bool:
    """Return True for a notice set apart from the text by its ARIA role (note, status, alert):
    a callout such as "Let op" or "Voorbeeld". Unlike an aside, it is never furniture by its
    role: a page shows it within its text."""
    return (node.attributes.get("role") or "").lower() in _NOTICE_ROLES


def callouts_with_headings(root: Node) -> frozenset[int]:
    """Return the `mem_id`s of the callouts in `root`, asides (`is_aside`) and notices
    (`is_notice`), that hold a heading of their own: one not inside a callout nested in them,
    whose heading is that callout's. One pass over the tree, each element seen once with the
    nearest callout around it, so that a page of nested callouts costs what its elements cost
    (asking each callout about its descendants cost the depth times the subtree)."""
    found: set[int] = set()
    stack: list[tuple[Node, int | None]] = [(root, None)]
    while stack:
        node, callout = stack.pop()
        if is_aside(node) or is_notice(node):
            callout = node.mem_id
        elif callout is not None and is_heading(node):
            found.add(callout)
        stack.extend((child, callout) for child in node.iter(include_text=False))
    return frozenset(found)


def reveal_disclosures(tree: LexborHTMLParser) -> None:
    """Mark the collapsible sections of a page as text, changing `tree` in place.

    Government pages put their questions and answers in accordions (the NL Design System's,
    the WAI pattern): a heading holds a <button aria-expanded aria-controls="p1"> with the
    question, and the answer sits in <div id="p1" hidden> until the button opens it (tabs
    likewise: <button role="tab" aria-controls> and a hidden role="tabpanel"). Saved or
    fetched without scripts, every answer is `hidden`, and a button is never text, so the page
    would lose both. A hidden element stays text when a disclosure button controls it, when its
    class or id says it collapses ("accordion__panel", "collapse", "uitklap") or when it is
    `hidden="until-found"` (hidden until the browser's find reveals it); a button stays text
    when it controls one, or stands in a heading or <summary>. A button that holds a heading
    (<button class="accordion__toggle"><h3>Vraag?</h3></button>) stays too, as a container:
    its heading heads the content after it, as anywhere else (`holds_heading`). Menus and
    dialogs stay out: their tags, roles and class names are left out as before
    (`is_boilerplate`), and so do the buttons that are controls only ("Menu", "Print", "Deel").
    """
    controlled: set[str] = set()
    for button in tree.css("[aria-expanded][aria-controls], [role=tab][aria-controls]"):
        controlled.update((button.attributes.get("aria-controls") or "").split())
    for node in tree.css("[hidden], [aria-hidden=true]"):
        attrs = node.attributes
        until_found = (attrs.get("hidden") or "").lower() == "until-found"
        panel = (attrs.get("id") or "") in controlled or attrs.get("role") == "tabpanel"
        named = node.tag in _PANEL_TAGS and any(_DISCLOSURE.search(w) for w in _marks(attrs))
        if until_found or panel or named:
            if "hidden" in attrs:
                del node.attrs["hidden"]
            if "aria-hidden" in attrs:
                node.attrs["aria-hidden"] = "false"
    panels = {
        node.attributes.get("id"): node
        for node in tree.css("[id]")
        if node.attributes.get("id") in controlled
    }
    for button in tree.css("button[aria-controls]"):  # a tab that is an <a> is text anyway
        targets = [panels.get(i) for i in (button.attributes.get("aria-controls") or "").split()]
        if any(t is not None and not is_boilerplate(t, in_article=False) for t in targets):
            button.attrs[_LABEL_BUTTON] = ""
    for button in tree.css(_HEADING_BUTTONS):
        button.attrs[_LABEL_BUTTON] = ""
    for button in tree.css("button"):
        if holds_a_heading(button):
            button.attrs[_HEADING_BUTTON] = ""


def holds_heading(node: Node) -> bool:
    """Return True for a button that holds a heading (`reveal_disclosures`): read as a
    container of blocks, whose heading keeps its own level."""
    return node.tag == "button" and _HEADING_BUTTON in node.attributes


def is_accordion_label(node: Node) -> bool:
    """Return True for the button of an accordion item that is kept as text: it names the
    panel after it, as a heading would (`reveal_disclosures`)."""
    attrs = node.attributes
    label = _LABEL_BUTTON in attrs and "aria-expanded" in attrs
    return node.tag == "button" and label and not holds_heading(node)


def is_never_text(node: Node) -> bool:
    """Return True for a script, menu, hidden element or other element that is never text."""
    if node.tag == "button" and (_LABEL_BUTTON in node.attributes or holds_heading(node)):
        return False  # a section's label or heading (`reveal_disclosures`)
    if node.tag in DROPPED_TAGS:
        return True
    if node.tag == "-text":
        return False
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if any(_SCREEN_READER_ONLY.match(c) for c in (attrs.get("class") or "").lower().split()):
        return True
    if (attrs.get("role") or "").lower() in _DROPPED_ROLES:
        return True
    return node.tag == "header" and node.css_first("h1, h2") is None


def is_boilerplate(node: Node, in_article: bool) -> bool:
    """Return True when the block element is site furniture, hidden, or never text.

    Class names only count for blocks: a link inside a sentence keeps its text whatever
    its class ("nav-link").
    """
    if is_never_text(node):
        return True
    if node.tag == "-text":
        return False
    attrs = node.attributes
    words = _marks(attrs)
    if any(_FURNITURE.search(word) for word in words):
        return True
    if is_link_list(node):
        return True
    aside = is_aside(node)
    if in_article:  # "Zie ook" with a list of links; a site footer inside <main>
        return (aside or node.tag == "footer") and _only_links(node)
    if node.tag in _OUTSIDE_ARTICLE_TAGS or aside:
        return True
    if block_tag(node) in HEADING_LEVELS:  # "accordion__header", "card-header": a title
        return False
    return any(_OUTSIDE_ARTICLE_FURNITURE.search(word) for word in words)


def is_link_list(node: Node) -> bool:
    """Return whether a list (<ul>, <ol>) holds nothing but links: each item's text is the
    text of links (`LINK_SHARE`), as under "Meer informatie", "Zie ook" or "Documenten".

    Its items name other pages; none says anything the assistant could quote (an answer is
    made of sentences), but with their scheme names such a list would match questions about
    every scheme it links to, and crowd out the passages that answer them. A list item with
    a sentence around its link ("Lees <a>de voorwaarden</a> voordat u aanvraagt") stays.
    """
    if node.tag not in ("ul", "ol"):
        return False
    items = [child for child in node.iter(include_text=False) if child.tag == "li"]
    return bool(items) and all(_only_links(item) for item in items)


def _only_links(node: Node) -> bool:
    """Return whether all of an element's text, headings aside, is the text of links."""
    text = len(node.text(deep=True, strip=True)) - sum(
        len(h.text(deep=True, strip=True)) for h in node.css(_HEADINGS_SELECTOR)
    )
    links = sum(len(a.text(deep=True, strip=True)) for a in node.css("a"))
    return text > 0 and links >= LINK_SHARE * text


def _marks(attrs: dict[str, str | None]) -> list[str]:
    """Return the lower-cased class names, id and aria-label words of an element."""
    words = (attrs.get("class") or "").split()
    words += (attrs.get("aria-label") or "").split()
    words.append(attrs.get("id") or "")
    return [word.lower() for word in words if word]


def _dominant_descendant(node: Node) -> Node:
    """Descend while one child holds most of the paragraph text (and the page title, if any)."""
    sizes, titled = _measure(node)
    while True:
        total = sizes.get(node.mem_id, 0)
        best = next(
            (
                child
                for child in node.iter()
                if sizes.get(child.mem_id, 0) >= DOMINANT_SHARE * total > 0
            ),
            None,
        )
        if best is None or (node.mem_id in titled and best.mem_id not in titled):
            return node
        node = best


def _measure(root: Node) -> tuple[dict[int, int], set[int]]:
    """Return the paragraph text size of every element outside boilerplate, and those with an h1.

    One pass without recursion: pages may nest a thousand elements deep.
    """
    sizes: dict[int, int] = {}
    titled: set[int] = set()
    stack: list[tuple[Node, str | None]] = [(root, None)]  # the tag, once its children are done
    while stack:
        node, done_tag = stack.pop()
        key = node.mem_id
        if done_tag is not None:
            children = [child.mem_id for child in node.iter()]
            sizes[key] = sum(sizes.get(child, 0) for child in children)
            if done_tag == "h1" or any(child in titled for child in children):
                titled.add(key)
        elif is_boilerplate(node, in_article=False):
            sizes[key] = 0
        elif (tag := block_tag(node)) in _TEXT_TAGS:
            sizes[key] = len(node.text(deep=True))
        else:
            stack.append((node, tag))
            stack.extend((child, None) for child in node.iter())
    return sizes, titled
