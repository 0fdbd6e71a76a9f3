"""Sign-in (OAuth2 password flow), registration of patients, who am I, sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from spineconsult.consult import accounts
from spineconsult.consult.schemas import AccountOut, RegistrationIn, TokenOut
from spineconsult.web.auth import Ctx, CurrentActor, bearer

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token")
def token(ctx: Ctx, request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenOut:
    client = request.client.host if request.client else None
    return accounts.login(ctx, form.username, form.password, client=client)


@router.post("/register", status_code=201)
def register(ctx: Ctx, data: RegistrationIn) -> AccountOut:
    return accounts.register_patient(ctx, data)


@router.get("/me")
def me(ctx: Ctx, actor: CurrentActor) -> AccountOut:
    return AccountOut(
        id=actor.id, email=actor.email, name=actor.name, role=actor.role, specialty=actor.specialty
    )


@router.post("/logout", status_code=204)
def logout(ctx: Ctx, actor: CurrentActor, token: Annotated[str, Depends(bearer)]) -> Response:
    accounts.revoke_token(ctx, token)
    return Response(status_code=204)
