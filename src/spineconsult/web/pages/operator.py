"""Operator page: service-level breaches and escalations, and the audit log of every access to a case."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from spineconsult.consult.operations import operations_overview
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.page import ActorPage, actor_page, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/operator")
def operator(case: str = "", p: ActorPage = Depends(actor_page)) -> Response:
    overview = operations_overview(p.ctx, p.actor, case_id=case.strip() or None)
    return render(p, "pages/operator.html", overview=overview, case_filter=case)
