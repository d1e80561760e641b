"""Accounts: users and their roles, passwords (argon2), browser sessions, API tokens, sign-in limits.

Roles, from least to most: ``viewer`` (reads results and dashboards), ``reviewer`` (also corrects
contacts), ``analyst`` (also builds surveys, imports, exports answers), ``admin`` (also manages users
and webhooks). A role includes every role below it (:func:`has_role`).

Secrets are never stored in the clear. A password is kept as an argon2id hash; a session id or an
API token is a random 32-byte token whose SHA-256 digest is stored, so a copy of the database does
not let anyone sign in. Disabling a user ends all of their sessions and stops their tokens.

>>> has_role("admin", "reviewer"), has_role("viewer", "analyst")
(True, False)
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.store.models import ROLES, ApiToken, LoginAttempt, User, WebSession, utcnow

SESSION_HOURS = 12
TOKEN_PREFIX = "kf_"
#: At most this many failed sign-ins per e-mail (and per client address) in ``LOGIN_WINDOW``.
LOGIN_LIMIT = 5
LOGIN_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def digest(token: str) -> str:
    """SHA-256 hex digest of a token (what the store keeps of session ids and API tokens)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def has_role(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (roles are ordered viewer < ... < admin)."""
    return ROLES.index(role) >= ROLES.index(needed)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(
            "unknown role", column="role", value=role, hint="use one of " + ", ".join(ROLES)
        )
    return role


def check_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise InputError("not an e-mail address", column="email", value=email)
    return email


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InputError(
            f"the password is too short: use at least {MIN_PASSWORD} characters",
            column="password",
        )
    if len(password) > 1024:
        raise InputError("the password is longer than 1024 characters", column="password")
    return password


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user (through a session or an API token)."""

    user_id: int
    email: str
    role: str
    lang: str = "en"
    session_id: int | None = None
    csrf: str | None = None
    via: str = "session"

    def may(self, needed: str) -> bool:
        return has_role(self.role, needed)


def add_user(
    session: Session,
    email: str,
    *,
    role: str,
    password: str | None = None,
    name: str | None = None,
    lang: str = "en",
) -> User:
    """Create a user (an :class:`InputError` when the e-mail is taken or a value is not valid)."""
    email = check_email(email)
    check_role(role)
    if password is not None:
        check_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InputError("a user with this e-mail exists already", column="email", value=email)
    user = User(
        email=email,
        name=name,
        role=role,
        lang=lang if lang in ("en", "sv") else "en",
        password_hash=_hasher().hash(password) if password is not None else None,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise InputError("no such user", column="email", value=email)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def update_user(
    session: Session,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change a user's role, active flag or password. Disabling (or a new password) ends every
    session of the user; disabling also stops their tokens (they are refused while inactive)."""
    user = session.get(User, user_id)
    if user is None:
        raise InputError("no such user", column="id", value=user_id)
    if role is not None:
        user.role = check_role(role)
    if password is not None:
        user.password_hash = _hasher().hash(check_password(password))
        end_sessions(session, user.id)
    if active is not None:
        user.active = bool(active)
        if not active:
            end_sessions(session, user.id)
    session.flush()
    return user


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


# --------------------------------------------------------------------------------------------------
# Signing in


class SignInError(Exception):
    """Wrong e-mail or password (deliberately not saying which), or too many attempts."""

    def __init__(self, reason: str) -> None:
        self.reason = reason  # "invalid" or "limited"
        super().__init__(reason)


def _recent_failures(session: Session, email: str, client: str) -> int:
    since = utcnow() - LOGIN_WINDOW
    by_email = session.scalar(
        select(func.count()).where(LoginAttempt.email == email, LoginAttempt.at >= since)
    )
    by_client = session.scalar(
        select(func.count()).where(LoginAttempt.client == client, LoginAttempt.at >= since)
    )
    return max(int(by_email or 0), int(by_client or 0) // 4)


def authenticate(session: Session, email: str, password: str, *, client: str = "") -> User:
    """The user with this e-mail and password, or :class:`SignInError`.

    Failed attempts are counted in the store (so the limit holds across server processes): after
    ``LOGIN_LIMIT`` failures for one e-mail (or four times as many from one client address) within
    ``LOGIN_WINDOW``, sign-in is refused until the window has passed, even with the right password.
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    email = (email or "").strip().lower()[:320]
    client = (client or "")[:100]
    if _recent_failures(session, email, client) >= LOGIN_LIMIT:
        raise SignInError("limited")
    user = session.scalar(select(User).where(User.email == email))
    hasher = _hasher()
    ok = False
    if user is not None and user.password_hash and user.active:
        try:
            ok = hasher.verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        # spend the same time as a real check, so timing does not reveal which e-mails exist
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_DUMMY_HASH(), password or "")
    if not ok or user is None:
        session.add(LoginAttempt(email=email, client=client))
        session.flush()
        raise SignInError("invalid")
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    return user


_dummy: list[str] = []


def _DUMMY_HASH() -> str:
    if not _dummy:
        _dummy.append(_hasher().hash(secrets.token_urlsafe(16)))
    return _dummy[0]


def start_session(session: Session, user: User) -> tuple[str, WebSession]:
    """A new browser session for ``user``: returns the cookie value (shown once) and the row."""
    token = secrets.token_urlsafe(32)
    row = WebSession(
        digest=digest(token),
        user_id=user.id,
        csrf=secrets.token_urlsafe(32),
        expires_at=utcnow() + timedelta(hours=SESSION_HOURS),
    )
    session.add(row)
    session.flush()
    return token, row


def principal_for_session(session: Session, token: str | None) -> Principal | None:
    if not token:
        return None
    row = session.scalar(select(WebSession).where(WebSession.digest == digest(token)))
    if row is None or row.expires_at < utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return Principal(user.id, user.email, user.role, user.lang, row.id, row.csrf, "session")


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.digest == digest(token)))


# --------------------------------------------------------------------------------------------------
# API tokens


def create_token(session: Session, email: str, name: str) -> tuple[str, ApiToken]:
    """A new API token for the user with ``email``; the token is returned once, only its digest
    is stored."""
    user = get_user(session, email)
    name = (name or "").strip()
    if not name:
        raise InputError("a token needs a name", column="name", value=name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(digest=digest(token), user_id=user.id, name=name[:200], prefix=token[:10])
    session.add(row)
    session.flush()
    return token, row


def principal_for_token(session: Session, token: str | None) -> Principal | None:
    if not token:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.digest == digest(token)))
    if row is None or row.revoked:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        row.last_used_at = now
    return Principal(user.id, user.email, user.role, user.lang, None, None, "token")


def revoke_token(session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise InputError("no such token", column="id", value=token_id)
    row.revoked = True


def prune(session: Session, now: datetime | None = None) -> None:
    """Delete expired sessions and old sign-in failures."""
    now = now or utcnow()
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - LOGIN_WINDOW))


def installation_secret(session: Session, name: str = "form_tokens") -> str:
    """A random secret kept in the store (made on first use), shared by every server process and
    kept across restarts; used when ``KUNDFOKUS_SECRET_KEY`` is not set."""
    from sqlalchemy.exc import IntegrityError

    from kundfokus.store.models import AppSecret

    row = session.get(AppSecret, name)
    if row is not None:
        return row.value
    try:
        with session.begin_nested():
            session.add(AppSecret(name=name, value=secrets.token_hex(32)))
    except IntegrityError:  # another process made it at the same moment
        pass
    return session.get(AppSecret, name).value
