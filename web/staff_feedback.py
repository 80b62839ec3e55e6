"""The staff's feedback pages: 👍/👎 with reason and question, filtered, and as CSV."""

from __future__ import annotations

import io
from itertools import islice

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.deps import FeedbackDep
from web.feedback import REASONS, export_feedback
from web.feedback_view import MAX_SHOWN, FeedbackFilter, filter_feedback
from web.staff_deps import AuditDep, ClientDep, StaffDep
from web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/beheer/feedback")
def feedback_page(request: Request, staff: StaffDep, store: FeedbackDep) -> Response:
    """Show the feedback that passes the filter, newest first."""
    wanted = FeedbackFilter.from_query(request.query_params)
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
    }
    return render(request, "beheer_feedback.html", context)


@router.get("/beheer/feedback.csv")
def feedback_csv(
    request: Request, staff: StaffDep, store: FeedbackDep, audit: AuditDep, client: ClientDep
) -> Response:
    """Download the feedback that passes the filter as CSV (oldest first)."""
    wanted = FeedbackFilter.from_query(request.query_params)
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
