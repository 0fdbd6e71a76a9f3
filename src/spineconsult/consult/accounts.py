"""Accounts, passwords (argon2), API tokens and the login rate limit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import Conflict, InvalidInput, NotFound, RateLimited, Unauthorized
from spineconsult.consult.policies import require_role
from spineconsult.consult.schemas import AccountIn, AccountOut, RegistrationIn, TokenOut
from spineconsult.settings import Settings
from spineconsult.store.models import AccessToken, Account, LoginFailure

SPECIALTIES = ("spine_surgery", "pain_medicine")
CLIENT_ALLOWANCE = 5  # one address may fail this many times more often than one e-mail


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def password_hasher(settings: Settings) -> PasswordHasher:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def actor_of(account: Account) -> Actor:
    return Actor(account.id, Role(account.role), account.email, account.name, account.specialty)


def account_out(account: Account) -> AccountOut:
    return AccountOut(
        id=account.id, email=account.email, name=account.name, role=account.role, specialty=account.specialty
    )


def create_account(ctx: ServiceContext, data: AccountIn, *, by: Actor | None = None) -> AccountOut:
    """Create any kind of account. `by=None` is the command line; over the API only operators may."""
    if by is not None:
        require_role(by, Role.OPERATOR)
    _check_specialty(data.role, data.specialty)
    account = Account(
        email=data.email.lower(),
        name=data.name,
        phone=data.phone,
        role=data.role,
        specialty=data.specialty if data.role == Role.SPECIALIST.value else None,
        password_hash=password_hasher(ctx.settings).hash(data.password),
        created_at=ctx.now(),
    )
    return _insert_account(ctx, account)


def register_patient(ctx: ServiceContext, data: RegistrationIn) -> AccountOut:
    """Self-registration over the API or the pages: always a patient account."""
    fields = data.model_dump()
    return create_account(ctx, AccountIn(role="patient", **fields))


def _check_specialty(role: str, specialty: str | None) -> None:
    if role == Role.SPECIALIST.value and specialty not in SPECIALTIES:
        raise InvalidInput("specialty", f"a specialist needs one of: {', '.join(SPECIALTIES)}")


def _insert_account(ctx: ServiceContext, account: Account) -> AccountOut:
    try:
        with ctx.write() as session:
            session.add(account)
            session.flush()
            return account_out(account)
    except IntegrityError:
        raise Conflict(f"an account with e-mail {account.email} exists already") from None


def get_actor(ctx: ServiceContext, account_id: int) -> Actor:
    """The actor of an active account (for cookie sessions of the pages)."""
    with ctx.read() as session:
        account = session.get(Account, account_id)
        if account is None or not account.active:
            raise NotFound("account not found")
        return actor_of(account)


def authenticate(ctx: ServiceContext, email: str, password: str, *, client: str | None = None) -> Actor:
    """Check a password. Too many failures within the window, for one e-mail or from one client
    address (which may try many e-mails; it gets CLIENT_ALLOWANCE times more), raise RateLimited.

    The slow hash runs outside any transaction, so no database lock is held while it computes.
    """
    email = email.strip().lower()
    if "\x00" in email or "\x00" in password or len(email) > 320:
        raise Unauthorized("wrong e-mail or password")
    keys = [email] + ([f"client:{client}"[:320]] if client else [])
    _check_rate_limit(ctx, keys)
    with ctx.read() as session:
        account = session.scalar(select(Account).where(Account.email == email, Account.active.is_(True)))
    hasher = password_hasher(ctx.settings)
    if account is None:
        _verify(hasher, _dummy_hash(ctx.settings), password)  # same work as for a real account
    elif _verify(hasher, account.password_hash, password):
        _after_success(ctx, account, password)
        return actor_of(account)
    _record_failure(ctx, keys)
    raise Unauthorized("wrong e-mail or password")


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return bool(hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=4)
def _dummy_hash_for(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash(secrets.token_hex(16))


def _dummy_hash(settings: Settings) -> str:
    return _dummy_hash_for(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def _after_success(ctx: ServiceContext, account: Account, password: str) -> None:
    """Forget earlier failures; upgrade the hash when the argon2 parameters changed."""
    hasher = password_hasher(ctx.settings)
    new_hash = hasher.hash(password) if hasher.check_needs_rehash(account.password_hash) else None
    with ctx.write() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.email == account.email))
        if new_hash:
            session.get_one(Account, account.id).password_hash = new_hash


def _check_rate_limit(ctx: ServiceContext, keys: list[str]) -> None:
    window = ctx.settings.login_window_seconds
    since = ctx.now() - timedelta(seconds=window)
    for key in keys:
        allowed = ctx.settings.login_max_failures * (CLIENT_ALLOWANCE if key.startswith("client:") else 1)
        with ctx.read() as session:
            failures = session.scalar(
                select(func.count()).where(LoginFailure.email == key, LoginFailure.at >= since)
            )
        if (failures or 0) >= allowed:
            raise RateLimited("too many failed logins; try again later", retry_after=window)


def _record_failure(ctx: ServiceContext, keys: list[str]) -> None:
    now = ctx.now()
    with ctx.write() as session:
        old = now - timedelta(seconds=ctx.settings.login_window_seconds)
        session.execute(delete(LoginFailure).where(LoginFailure.at < old))
        session.add_all(LoginFailure(email=key, at=now) for key in keys)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(ctx: ServiceContext, actor: Actor) -> TokenOut:
    """A random bearer token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(minutes=ctx.settings.token_lifetime_minutes)
    with ctx.write() as session:
        now = ctx.now()
        session.execute(delete(AccessToken).where(AccessToken.expires_at < now))
        session.add(
            AccessToken(
                token_hash=_token_hash(token), account_id=actor.id, created_at=now, expires_at=now + lifetime
            )
        )
    return TokenOut(access_token=token, expires_in=int(lifetime.total_seconds()))


def login(ctx: ServiceContext, email: str, password: str, *, client: str | None = None) -> TokenOut:
    """The OAuth2 password flow: check the password, hand out a bearer token."""
    return issue_token(ctx, authenticate(ctx, email, password, client=client))


def actor_for_token(ctx: ServiceContext, token: str) -> Actor:
    """The actor a bearer token stands for; Unauthorized when unknown, expired or deactivated.

    Verified tokens are remembered for a few seconds per process (settings.token_cache_seconds),
    never past their expiry; signing out forgets them at once in this process.
    """
    key = _token_hash(token)
    cached: tuple[Actor, datetime] | None = ctx.tokens.get(key)
    if cached is not None and cached[1] > ctx.now():
        return cached[0]
    query = (
        select(Account, AccessToken.expires_at)
        .join(AccessToken, AccessToken.account_id == Account.id)
        .where(AccessToken.token_hash == key, AccessToken.expires_at > ctx.now(), Account.active.is_(True))
    )
    with ctx.read() as session:
        row = session.execute(query).first()
        if row is None:
            raise Unauthorized("the token is unknown or has expired")
        actor = actor_of(row[0])
    ctx.tokens.put(key, (actor, row[1]))
    return actor


def revoke_token(ctx: ServiceContext, token: str) -> None:
    ctx.tokens.drop(_token_hash(token))
    with ctx.write() as session:
        session.execute(delete(AccessToken).where(AccessToken.token_hash == _token_hash(token)))


def list_accounts(ctx: ServiceContext, actor: Actor, *, role: Role | None = None) -> list[AccountOut]:
    """Operators list accounts (e.g. the specialists they manage)."""
    require_role(actor, Role.OPERATOR)
    query = select(Account).order_by(Account.id)
    if role is not None:
        query = query.where(Account.role == role.value)
    with ctx.read() as session:
        return [account_out(a) for a in session.scalars(query)]


def identities_of(session: Session, account_id: int) -> list[str]:
    """Name, e-mail and phone of an account: what de-identification must remove when publishing."""
    account = session.get_one(Account, account_id)
    return [value for value in (account.name, account.email, account.phone) if value]
