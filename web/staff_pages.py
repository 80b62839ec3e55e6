"""The staff page /beheer: documents, adding by upload or URL, metadata, removal and builds."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, RedirectResponse, Response

from index.catalog import read_catalog
from index.intake import (
    AddResult,
    GivenMeta,
    Incoming,
    IntakeError,
    add_document,
    find_document,
    remove_document,
    staging,
    update_metadata,
)
from index.sidecar import Sidecar, read_sidecar
from index.sniff import CLAIMS
from web.audit import added_entry, metadata_entry
from web.builds import ALREADY_RUNNING, BuildRunner, BuildState
from web.deps import SettingsDep, SnapshotDep, current_snapshot
from web.deps import settings as app_settings
from web.feedback import REASONS
from web.staff_auth import StaffSession, StaffSessions
from web.staff_deps import (
    STAFF_PATH,
    AuditDep,
    BuildsDep,
    ClientDep,
    CsrfStaffDep,
    FetcherDep,
    SessionsDep,
    StaffDep,
    audit_log,
    builds,
    passwords,
    require_staff,
)
from web.staff_login import setup_page
from web.staff_upload import read_upload
from web.templating import render

router = APIRouter(include_in_schema=False)

AUDIT_SHOWN = 50
NOTHING_CHOSEN = "Kies een bestand of geef een URL op."
BOTH_CHOSEN = "Kies een bestand óf geef een URL op, niet allebei: welke van de twee bedoelt u?"
ACCEPT = ",".join(sorted(CLAIMS))


def _meta_from(fields: dict[str, str]) -> GivenMeta:
    return GivenMeta(
        title=fields.get("titel"),
        date=fields.get("datum"),
        kind=fields.get("soort"),
        kamerstuk=fields.get("kamerstuk"),
    )


def dashboard(
    request: Request,
    staff_csrf: str,
    *,
    error: str = "",
    notice: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """Render the staff page."""
    settings = app_settings(request)
    index = current_snapshot(request).index
    context: dict[str, Any] = {
        "nav": "beheer",
        "csrf": staff_csrf,
        "documents": read_catalog(settings.documents_dir, index),
        "skipped": index.manifest.skipped,
        "index_version": index.version,
        "build": builds(request).state(),
        "audit": audit_log(request).recent(AUDIT_SHOWN),
        "error": error,
        "notice": notice,
        "form": form or {},
        "accept": ACCEPT,
        "max_mb": settings.max_document_mb,
        "reasons": REASONS,
    }
    return render(request, "beheer.html", context, status_code=status)


@router.get(STAFF_PATH)
def staff_home(request: Request, staff_sessions: SessionsDep) -> Response:
    """Show the staff page; without a password, how to set one; without a login, the login."""
    if not passwords(request).is_set():
        return setup_page(request)
    staff = require_staff(request)
    return dashboard(request, staff.csrf, notice=staff_sessions.pop_flash(staff.token) or "")


def _back_to_build(staff_sessions: StaffSessions, staff: StaffSession, message: str) -> Response:
    """Keep `message` for the staff page and go there, to the build's progress."""
    staff_sessions.set_flash(staff.token, message)
    return RedirectResponse(f"{STAFF_PATH}#bouw", status_code=303)


def _document_page(
    request: Request,
    staff_csrf: str,
    doc_id: str,
    sidecar: Sidecar | GivenMeta,
    error: str = "",
    status: int = 200,
) -> Response:
    """Render the page that edits a document's metadata and removes it."""
    context = {
        "nav": "beheer",
        "csrf": staff_csrf,
        "doc_id": doc_id,
        "sidecar": sidecar,
        "error": error,
    }
    return render(request, "beheer_document.html", context, status_code=status)


def _start_build(runner: BuildRunner, reason: str) -> str:
    started = runner.start(reason, queue=True)
    if started == "ingepland":
        return "Er loopt al een build; daarna wordt de index nog eens bijgewerkt."
    return "De index wordt bijgewerkt."


def _added_message(result: AddResult) -> str:
    if result.status == "al aanwezig":
        return f"Al aanwezig: {result.doc_id} heeft dezelfde inhoud; er is niets veranderd."
    origins = "; ".join(
        f"{field.label.lower()}: {field.value or '–'} ({field.origin})" for field in result.origins
    )
    if result.status == "vervangen":
        return f"Vervangen: {result.replaced} door een nieuwe versie, {result.doc_id} ({origins})."
    return f"Toegevoegd: {result.doc_id} ({origins})."


@router.post("/beheer/toevoegen")
async def add(
    request: Request,
    staff: StaffDep,
    settings: SettingsDep,
    fetch: FetcherDep,
    runner: BuildsDep,
    audit: AuditDep,
    staff_sessions: SessionsDep,
    client: ClientDep,
) -> Response:
    """Add an uploaded file or a URL's document, then update the index in the background."""
    documents_dir = settings.documents_dir
    fields: dict[str, str] = {}
    given_as = ""  # the file's name or the URL, for the audit log
    try:
        with staging(documents_dir) as folder:
            form = await read_upload(request, folder, staff.csrf, settings.max_document_bytes)
            fields = form.fields
            url = fields.get("url", "").strip()
            given_as = form.file.name if form.file is not None else url
            incoming: Incoming
            if form.file is not None and url:
                raise IntakeError(BOTH_CHOSEN)  # nothing is added that the staff did not mean
            if form.file is not None:
                incoming, source = form.file, f"upload {form.file.name}"
            elif url:
                incoming, source = await run_in_threadpool(fetch.fetch, url, folder), url
            else:
                raise IntakeError(NOTHING_CHOSEN)
            given = _meta_from(fields)
            result = await run_in_threadpool(add_document, documents_dir, incoming, given)
    except IntakeError as exc:
        detail = f"{given_as}: {exc.reason}" if given_as else exc.reason
        audit.record("toevoegen geweigerd", detail, client)
        return dashboard(request, staff.csrf, error=exc.reason, form=fields, status=422)
    message = _added_message(result)
    if result.status != "al aanwezig":
        audit.record(*added_entry(result, source), client)
        message += " " + _start_build(runner, f"{result.status}: {result.doc_id}")
    return _back_to_build(staff_sessions, staff, message)


@router.get("/beheer/document")
def edit_form(request: Request, staff: StaffDep, settings: SettingsDep, naam: str = "") -> Response:
    """Show a document's metadata to edit, and the button that removes it."""
    try:
        path = find_document(settings.documents_dir, naam)
    except IntakeError as exc:
        return dashboard(request, staff.csrf, error=exc.reason, status=404)
    return _document_page(request, staff.csrf, naam, read_sidecar(path))


@router.post("/beheer/metadata")
def save_metadata(
    request: Request,
    staff: CsrfStaffDep,
    settings: SettingsDep,
    runner: BuildsDep,
    audit: AuditDep,
    staff_sessions: SessionsDep,
    client: ClientDep,
    document: Annotated[str, Form()] = "",
    titel: Annotated[str, Form()] = "",
    datum: Annotated[str, Form()] = "",
    soort: Annotated[str, Form()] = "",
    kamerstuk: Annotated[str, Form()] = "",
) -> Response:
    """Rewrite a document's sidecar, then update the index."""
    given = GivenMeta(titel, datum, soort, kamerstuk)
    try:
        before, sidecar = update_metadata(settings.documents_dir, document, given)
    except IntakeError as exc:
        return _document_page(request, staff.csrf, document, given, exc.reason, 422)
    audit.record("metadata", metadata_entry(document, before, sidecar), client)
    message = f"Metadata van {document} opgeslagen. " + _start_build(
        runner, f"metadata: {document}"
    )
    return _back_to_build(staff_sessions, staff, message)


@router.post("/beheer/verwijderen")
def remove(
    request: Request,
    staff: CsrfStaffDep,
    settings: SettingsDep,
    runner: BuildsDep,
    audit: AuditDep,
    staff_sessions: SessionsDep,
    client: ClientDep,
    document: Annotated[str, Form()] = "",
) -> Response:
    """Remove a document and its sidecar, then update the index."""
    try:
        remove_document(settings.documents_dir, document)
    except IntakeError as exc:
        return dashboard(request, staff.csrf, error=exc.reason, status=422)
    audit.record("verwijderen", document, client)
    message = f"Verwijderd: {document}. " + _start_build(runner, f"verwijderd: {document}")
    return _back_to_build(staff_sessions, staff, message)


@router.post("/beheer/bouwen")
def rebuild(
    request: Request,
    staff: CsrfStaffDep,
    runner: BuildsDep,
    audit: AuditDep,
    staff_sessions: SessionsDep,
    client: ClientDep,
) -> Response:
    """Start a rebuild; while one runs, refuse with 409 "er loopt al een build"."""
    if runner.start("gestart op de beheerpagina") == "loopt al":
        return dashboard(request, staff.csrf, error=ALREADY_RUNNING, status=409)
    audit.record("bouwen", "index bijwerken gestart", client)
    return _back_to_build(staff_sessions, staff, "De index wordt bijgewerkt.")


def state_to_json(state: BuildState, serving: str) -> dict[str, Any]:
    """Return what the page's script shows of a build."""
    return {
        **asdict(state),
        "percent": state.percent,
        "serving": serving,
        "settled": state.settled(serving),
    }


@router.get("/beheer/bouw.json")
def build_status(staff: StaffDep, runner: BuildsDep, snapshot: SnapshotDep) -> Response:
    """The latest build's progress, and the index version the chat answers from now."""
    return JSONResponse(
        state_to_json(runner.state(), snapshot.version), headers={"Cache-Control": "no-store"}
    )
