"""The staff's feedback pages: 👍/👎 with reason and question, filtered, and as CSV."""

from __future__ import annotations

import io
from itertools import islice

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.deps import FeedbackDep
from web.feedback import REASONS, export_feedback
from web.feedback_view import MAX_SHOWN, FeedbackFilter, FilterError, filter_feedback
from web.staff_deps import AuditDep, ClientDep, StaffDep
from web.templating import render

router = APIRouter(include_in_schema=False)


def _refused_filter(request: Request, staff_csrf: str, error: FilterError) -> Response:
    """Show the page with what was wrong with the filter, and no feedback (422)."""
    context = {
        "nav": "feedback",
        "csrf": staff_csrf,
        "filter": error.shown,
        "error": error.message,
        "bad_fields": error.fields,
        "reasons": REASONS,
    }
    return render(request, "beheer_feedback.html", context, status_code=422)


@router.get("/beheer/feedback")
def feedback_page(request: Request, staff: StaffDep, store: FeedbackDep) -> Response:
    """Show the feedback that passes the filter, newest first."""
    try:
        wanted = FeedbackFilter.from_query(request.query_params)
    except FilterError as exc:
        return _refused_filter(request, staff.csrf, exc)
    records = list(filter_feedback(store.all(), wanted))
    records.reverse()
    context = {
        "nav": "feedback",
        "csrf": staff.csrf,
        "filter": wanted,
        "records": list(islice(records, MAX_SHOWN)),
        "total": len(records),
        "max_shown": MAX_SHOWN,
        "reasons": REASONS,
        "export_query": wanted.query(),
        "bad_fields": (),
    }
    return render(request, "beheer_feedback.html", context)


@router.get("/beheer/feedback.csv")
def feedback_csv(
    request: Request, staff: StaffDep, store: FeedbackDep, audit: AuditDep, client: ClientDep
) -> Response:
    """Download the feedback that passes the filter as CSV (oldest first)."""
    try:
        wanted = FeedbackFilter.from_query(request.query_params)
    except FilterError as exc:
        return _refused_filter(request, staff.csrf, exc)
    out = io.StringIO()
    count = export_feedback(filter_feedback(store.all(), wanted), "csv", out)
    audit.record(
        "feedback exporteren", f"{count} regels, filter {wanted.query() or 'geen'}", client
    )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="feedback.csv"',
            "Cache-Control": "no-store",
        },
    )
