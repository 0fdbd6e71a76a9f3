"""Bearer-token authentication for the API (OAuth2 password flow at POST /api/v1/auth/token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from spineconsult.consult import accounts
from spineconsult.consult.actors import Actor
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import Unauthorized

TOKEN_URL = "/api/v1/auth/token"
bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def get_ctx(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


def optional_actor(
    ctx: Annotated[ServiceContext, Depends(get_ctx)], token: Annotated[str | None, Depends(bearer)]
) -> Actor | None:
    """The caller when a valid token was sent; None for anonymous readers; 401 for a bad token."""
    return accounts.actor_for_token(ctx, token) if token else None


def current_actor(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    if actor is None:
        raise Unauthorized("sign in: this needs a bearer token")
    return actor


Ctx = Annotated[ServiceContext, Depends(get_ctx)]
CurrentActor = Annotated[Actor, Depends(current_actor)]
OptionalActor = Annotated[Actor | None, Depends(optional_actor)]
