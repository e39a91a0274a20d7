"""Fixtures: a fresh app per test on a real database (SQLite file, or PostgreSQL when
REGISTRY_TEST_DATABASE_URL is set), migrated once per session and reset per test."""

import os
import re
import shutil
from pathlib import Path

import pytest
from flask import g, request_started
from sqlalchemy import create_engine, text

from registry import create_app
from registry.accounts import services as accounts
from registry.cli import upgrade_database
from registry.extensions import db
from registry.organisations import services as organisations
from registry.projects import services as projects
from registry.writeup_format import Section, WriteUp

PASSWORD = "correct horse battery staple"
POSTGRES_URL = os.environ.get("REGISTRY_TEST_DATABASE_URL")
# Cheap argon2 parameters: the suite hashes hundreds of passwords. Production uses the
# library's defaults (tested in test_accounts).
FAST_HASHING = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}
# Reference data (boards, HSCPs) and the schema version survive between tests.
KEPT_TABLES = {"alembic_version", "boards", "hscps"}


def make_config(tmp_path: Path, database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "INDEX_DIR": str(tmp_path / "index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "PASSWORD_HASH_PARAMETERS": FAST_HASHING,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "commons.test",
        **overrides,
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """Migrate once: a template SQLite file to copy, or the PostgreSQL database itself."""
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'registry.db'}"
    app = create_app(make_config(tmp_path_factory.mktemp("migrate"), url))
    with app.app_context():
        upgrade_database()
        db.engine.dispose()
    return url


def _fresh_database_url(template_url: str, tmp_path: Path) -> str:
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            tables = [
                name
                for name in connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).scalars()
                if name not in KEPT_TABLES
            ]
            if tables:
                connection.execute(
                    text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
                )
        engine.dispose()
        return POSTGRES_URL
    target = tmp_path / "registry.db"
    shutil.copyfile(re.sub("^sqlite:///", "", template_url), target)
    return f"sqlite:///{target}"


@pytest.fixture
def database_url(migrated_database, tmp_path) -> str:
    return _fresh_database_url(migrated_database, tmp_path)


def _fresh_globals(_sender, **_extra) -> None:
    """Start every request with an empty `g`, as a server does (one app context per request).

    The `app` fixture keeps one app context open for the whole test, and a request reuses it:
    without this, Flask-Login's cached user (`g._login_user`) and Flask-WTF's CSRF token would
    carry over from one request, or one test client, to the next.
    """
    for name in list(g):
        g.pop(name)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(make_config(tmp_path, database_url))
    request_started.connect(_fresh_globals, app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


@pytest.fixture
def org(app):
    """Two clusters in different HSCPs and boards, for ownership and permission tests."""
    return {
        "paisley": organisations.create_cluster("Paisley North", "Renfrewshire"),
        "leith": organisations.create_cluster("Leith & Portobello", "Edinburgh"),
    }


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(role: str = "member", clusters: tuple[str, ...] = (), name: str | None = None):
        number = next(counter)
        return accounts.create_user(
            f"{role}{number}@example.nhs.scot", name or f"Test {role} {number}", role, PASSWORD,
            list(clusters),
        )

    return make


@pytest.fixture
def sign_in(client):
    def do(user, password: str = PASSWORD, remember: bool = False, next_url: str | None = None):
        data = {"email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        if next_url is not None:
            data["next"] = next_url
        return client.post("/sign-in", data=data)

    return do


def writeup(**fields) -> WriteUp:
    """A valid write-up; tests override only what they are about."""
    values = {
        "title": "Safer valproate prescribing",
        "cluster": "paisley-north",
        "status": "active",
        "visibility": "public",
        "tags": ["Valproate", "safer prescribing"],
        "authors": ["Dr A. Example"],
        "sections": [
            Section(heading="Aim", body="Every woman on valproate has a signed form.", key="aim"),
            Section(heading="Changes", body="1. Monthly search\n2. Pharmacist review", key="changes"),
        ],
    }
    values.update(fields)
    return WriteUp(**values)


@pytest.fixture
def make_project(app):
    def make(actor=None, publish: bool = True, **fields):
        return projects.save_writeup(actor, writeup(**fields), publish=publish)

    return make


@pytest.fixture
def lead(org, make_user, sign_in):
    """A lead of Paisley North, signed in on `client`."""
    user = make_user("lead", ("paisley-north",), name="Dr Morag Fraser")
    assert sign_in(user).status_code == 302
    return user
