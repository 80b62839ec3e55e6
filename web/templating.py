"""Jinja2 templates (autoescaped) and the small helpers they use: links and Dutch dates."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from assistant.types import UNCERTAIN_TEXT
from index.scheme_types import THEME_LABELS

TEMPLATES_DIR = Path(__file__).parent / "templates"

_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def passage_url(passage_id: str, text: str | None = None) -> str:
    """Return the source viewer's URL for a passage id such as "rapport.pdf/p12"; with the
    passage's `text`, also its fingerprint, so that a link in an older answer still finds the
    passage it quoted after a rebuild renumbered the document's passages (`web.sources`)."""
    url = "/bron/" + quote(passage_id, safe="/")
    return f"{url}?tekst={text_fingerprint(text)}" if text is not None else url


def text_fingerprint(text: str) -> str:
    """Return a short fingerprint of a passage's text (12 hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def document_url(doc_id: str, page: int | None = None, fmt: str = "") -> str:
    """Return the URL of the original file; PDFs open at `page`."""
    url = "/documenten/" + quote(doc_id, safe="/")
    if fmt == "pdf" and page:
        url += f"#page={page}"
    return url


def dutch_date(value: str | None) -> str:
    """Format an ISO date as "8 juni 2020"; leave anything else as it is."""
    if not value:
        return "datum onbekend"
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def make_templates() -> Jinja2Templates:
    """Return the app's templates with autoescaping and the link helpers as globals."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    templates = Jinja2Templates(env=env)
    templates.env.globals["passage_url"] = passage_url
    templates.env.globals["document_url"] = document_url
    templates.env.globals["theme_labels"] = THEME_LABELS
    templates.env.globals["uncertain_text"] = UNCERTAIN_TEXT
    templates.env.filters["dutch_date"] = dutch_date
    return templates


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """Render template `name` with `context` using the app's templates."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, dict(context or {}), status_code=status_code)
