"""Accounts: creating users, signing in and out, and revocable sign-in sessions."""

import secrets
from flask import current_app
from sqlalchemy import delete, func, select, update

from registry.accounts.models import LoginFailure, Role, SignIn, User
from registry.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from registry.database import begin_write
from registry.errors import Invalid
from registry.extensions import db
from registry.organisations.models import Cluster
from registry.timeutil import aware, utcnow
from registry.writeup_rules import CONTROL_CHARACTERS

# Signed-in users' last-seen time is written at most this often, not on every request.
_TOUCH_INTERVAL_SECONDS = 60


class TooManyAttempts(Exception):
    def __init__(self, minutes: int):
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} minutes.")
        self.minutes = minutes


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    email: str, name: str, role: str, password: str, cluster_slugs: list[str] = ()
) -> User:
    errors: dict[str, list[str]] = {}
    email = normalise_email(email)
    if "@" not in email or len(email) > 254 or CONTROL_CHARACTERS.search(email + name):
        errors["email"] = ["Enter an email address such as name@nhs.scot."]
    if not name.strip() or len(name) > 120:
        errors["name"] = ["Enter a name of up to 120 characters."]
    if role not in {r.value for r in Role}:
        errors["role"] = ["Choose one of: " + ", ".join(r.value for r in Role) + "."]
    if problem := password_problem(password):
        errors["password"] = [problem]
    begin_write()
    clusters = list(db.session.scalars(select(Cluster).where(Cluster.slug.in_(cluster_slugs))))
    missing = set(cluster_slugs) - {c.slug for c in clusters}
    if missing:
        errors["cluster"] = ["No cluster called " + ", ".join(sorted(missing)) + "."]
    if role in (Role.MEMBER, Role.LEAD) and not cluster_slugs:
        errors.setdefault("cluster", []).append("Members and leads belong to a cluster.")
    if db.session.scalar(select(User.id).where(User.email == email)):
        errors["email"] = ["An account with this email address already exists."]
    if errors:
        db.session.rollback()
        raise Invalid(errors)
    user = User(
        email=email, name=name.strip(), role=Role(role), password_hash=hash_password(password),
        clusters=clusters,
    )
    db.session.add(user)
    db.session.commit()
    return user


def upsert_demo_user(email: str, name: str, role: str, password: str, cluster_slugs) -> User:
    """Create a demo account, or reset its password; only the demo loader calls this."""
    begin_write()
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        db.session.rollback()
        return create_user(email, name, role, password, cluster_slugs)
    user.password_hash = hash_password(password)
    user.clusters = list(db.session.scalars(select(Cluster).where(Cluster.slug.in_(cluster_slugs))))
    db.session.commit()
    return user


def authenticate(email: str, password: str, address: str) -> User | None:
    """Check a sign-in; raise TooManyAttempts while the account or address is throttled."""
    email = normalise_email(email)
    config = current_app.config
    begin_write()
    since = utcnow() - config["LOGIN_FAILURE_WINDOW"]
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at > since)
    per_account = db.session.scalar(recent.where(LoginFailure.email == email))
    per_address = db.session.scalar(recent.where(LoginFailure.address == address))
    if (
        per_account >= config["LOGIN_FAILURES_PER_ACCOUNT"]
        or per_address >= config["LOGIN_FAILURES_PER_ADDRESS"]
    ):
        db.session.rollback()
        raise TooManyAttempts(int(config["LOGIN_FAILURE_WINDOW"].total_seconds() // 60))
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not verify_password(user.password_hash, password):
        db.session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
        db.session.add(LoginFailure(email=email[:254], address=address[:64], at=utcnow()))
        db.session.commit()
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def start_session(user: User) -> User:
    """Record a new sign-in; its token is what the session and remember-me cookies carry."""
    begin_write()
    now = utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(token=token, user_id=user.id, created_at=now, last_seen_at=now))
    db.session.commit()
    user.session_token = token
    return user


def load_session(token: str) -> User | None:
    """The user for a sign-in token, if that sign-in is still live; touches its idle clock."""
    sign_in = db.session.get(SignIn, token)
    if sign_in is None:
        return None
    now = utcnow()
    config = current_app.config
    expired = (
        now - aware(sign_in.created_at) > config["SESSION_ABSOLUTE_LIFETIME"]
        or now - aware(sign_in.last_seen_at) > config["SESSION_IDLE_TIMEOUT"]
    )
    if expired:
        _end_sessions(select_token=token)
        return None
    user_id = sign_in.user_id
    if (now - aware(sign_in.last_seen_at)).total_seconds() > _TOUCH_INTERVAL_SECONDS:
        begin_write()
        db.session.execute(update(SignIn).where(SignIn.token == token).values(last_seen_at=now))
        db.session.commit()
    user = db.session.get(User, user_id)
    user.session_token = token
    return user


def end_all_sessions(user: User) -> None:
    """Sign out everywhere: every browser and remember-me cookie of this user stops working."""
    _end_sessions(user_id=user.id)


def change_password(user: User, current: str, new: str) -> User:
    errors: dict[str, list[str]] = {}
    if not verify_password(user.password_hash, current):
        errors["current_password"] = ["That is not your current password."]
    if problem := password_problem(new):
        errors["new_password"] = [problem]
    if errors:
        raise Invalid(errors)
    user_id = user.id
    begin_write()
    user = db.session.get(User, user_id)
    user.password_hash = hash_password(new)
    db.session.execute(delete(SignIn).where(SignIn.user_id == user_id))
    db.session.commit()
    return start_session(user)


def _end_sessions(*, user_id: int | None = None, select_token: str | None = None) -> None:
    begin_write()
    condition = SignIn.user_id == user_id if user_id is not None else SignIn.token == select_token
    db.session.execute(delete(SignIn).where(condition))
    db.session.commit()
