"""The OpenAPI page at /docs: Swagger UI served from the app itself (no CDN)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from pydantic import ConfigDict
from starlette.responses import Response

from web.templating import render

router = APIRouter(include_in_schema=False)

DOCS_ASSETS_URL = "/docs-bestanden"


def described(text: str) -> ConfigDict:
    """Return a model config that documents a JSON model in Dutch at /docs.

    pydantic would show the class docstring there, which is written for developers, in English.
    """
    return ConfigDict(json_schema_extra={"description": text})


def docs_assets_dir() -> Path:
    """Return the folder with swagger-ui-bundle.js and swagger-ui.css (from fastapi-offline)."""
    return Path(str(files("fastapi_offline") / "static"))


@router.get("/docs")
def docs(request: Request) -> Response:
    """Show the interactive API documentation for /openapi.json."""
    return render(request, "docs.html")
