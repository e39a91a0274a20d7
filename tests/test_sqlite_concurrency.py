"""SQLite under several writer processes, as under several gunicorn workers.

Every write use case reads before it writes (slug taken? tag exists? too many failed sign-ins?).
On SQLite that is only safe because write transactions begin IMMEDIATE (`begin_write`): a
deferred transaction that has read cannot wait for the write lock and fails at once with
"database is locked", whatever the busy timeout. These tests run real services in separate
processes against one database file.
"""

import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from registry import create_app
from registry.accounts import services as accounts
from registry.accounts.models import LoginFailure, User
from registry.database import begin_write
from registry.extensions import db
from registry.organisations import services as organisations
from registry.projects import services as projects
from registry.projects.models import Project, Revision, Tag
from registry.timeutil import utcnow
from registry.writeup_format import Section, WriteUp
from tests.processes import app_config, run_workers

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("REGISTRY_TEST_DATABASE_URL")), reason="SQLite-specific locking"
    ),
    pytest.mark.slow,
]

WORKERS = 4
ROUNDS = 12  # per worker: create, edit, publish, failed sign-in = 4 write transactions each
TITLE = "Safer valproate prescribing"  # the same title everywhere: slugs race for suffixes
SHARED_TAGS = ["Valproate", "Safer prescribing"]  # every worker creates-or-reuses these
WRONG_PASSWORD = "not the password at all"


def _sqlite_path(database_url: str) -> str:
    assert database_url.startswith("sqlite:///"), database_url
    return database_url.removeprefix("sqlite:///")


def _writeup(number: int, worker: int, summary: str) -> WriteUp:
    return WriteUp(
        title=TITLE,
        cluster="paisley-north",
        visibility="public",
        summary=summary,
        tags=[*SHARED_TAGS, f"worker {worker}"],
        authors=[f"Worker {worker}"],
        sections=[
            Section(heading="Aim", body=f"Round {number} of worker {worker}.", key="aim"),
            Section(heading="Changes", body="1. Monthly search\n2. Review", key="changes"),
        ],
    )


def _writer(worker: int, barrier, config: dict, emails: list[str]):
    """One 'gunicorn worker': its own app and engine on the shared file, writing flat out."""
    email = emails[worker]
    app = create_app(config)
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.email == email))
        db.session.rollback()
        barrier.wait(timeout=60)  # everybody starts writing at the same moment
        started = time.time()
        slugs = []
        for number in range(ROUNDS):
            project = projects.save_writeup(
                actor, _writeup(number, worker, "First draft."), publish=False
            )
            slug = project.slug
            projects.save_writeup(
                actor, _writeup(number, worker, "Second draft."), slug=slug,
                expected_version=1,
            )
            projects.publish(actor, slug)
            assert accounts.authenticate(email, WRONG_PASSWORD, f"192.0.2.{worker}") is None
            slugs.append(slug)
        finished = time.time()
        db.session.remove()
        db.engine.dispose()
    return slugs, started, finished


def test_concurrent_writer_processes_lose_nothing_and_never_see_a_locked_database(app):
    organisations.create_cluster("Paisley North", "Renfrewshire")
    users = [
        accounts.create_user(
            f"lead{worker}@example.nhs.scot", f"Lead {worker}", "lead",
            "correct horse battery staple", ["paisley-north"],
        )
        for worker in range(WORKERS)
    ]
    emails = [user.email for user in users]
    db.session.remove()  # no transaction or pooled connection of ours stays open meanwhile
    config = app_config(
        app, LOGIN_FAILURES_PER_ACCOUNT=10_000, LOGIN_FAILURES_PER_ADDRESS=10_000
    )
    reports = run_workers(_writer, WORKERS, config, emails)
    # The writers really ran at the same time: the last one started writing before the first
    # one finished. (Not that their commits interleave: SQLite's busy wait is not fair, so one
    # process may well take every turn while the others wait, which is the case under test.)
    assert max(started for _, started, _ in reports) < min(finished for *_, finished in reports)

    total = WORKERS * ROUNDS
    all_slugs = [slug for slugs, *_ in reports for slug in slugs]
    base = "safer-valproate-prescribing"
    assert sorted(all_slugs) == sorted([base] + [f"{base}-{n}" for n in range(2, total + 1)])
    assert db.session.scalar(select(func.count()).select_from(Project)) == total
    assert db.session.scalar(
        select(func.count()).select_from(Project).where(Project.is_published.is_(True))
    ) == total
    assert set(db.session.scalars(select(Project.version))) == {2}
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 2 * total
    numbers = db.session.execute(
        select(Revision.number, func.count()).group_by(Revision.number)
    ).all()
    assert sorted(numbers) == [(1, total), (2, total)]
    # Each shared tag was created once, whoever got there first; each worker's own tag once.
    assert sorted(db.session.scalars(select(Tag.key))) == sorted(
        ["valproate", "safer prescribing", *[f"worker {w}" for w in range(WORKERS)]]
    )
    failures = db.session.execute(
        select(LoginFailure.email, func.count()).group_by(LoginFailure.email)
    ).all()
    assert sorted(failures) == sorted((email, ROUNDS) for email in emails)


# Another process's write transaction: take the write lock, write a row, hold the lock until
# told (a line on stdin) or for at most argv[2] seconds, commit. Plain sqlite3: starts quickly.
HOLDER = r"""
import select, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN IMMEDIATE")
connection.execute(
    "INSERT INTO login_failures (email, address, at) "
    "VALUES ('other@example.nhs.scot', '192.0.2.99', '2030-01-01 00:00:00.000000')"
)
print("locked", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))
connection.execute("COMMIT")
connection.close()
"""


def _start_holder(database_url: str, hold_seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, _sqlite_path(database_url), str(hold_seconds)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline() == "locked\n", "the other process never took the write lock"
    return holder


def _finish(holder: subprocess.Popen) -> int:
    holder.communicate(input="release\n", timeout=30)
    return holder.returncode


def _failed_sign_in() -> LoginFailure:
    return LoginFailure(email="me@example.nhs.scot", address="192.0.2.1", at=utcnow())


def _count_failures() -> int:
    return db.session.scalar(select(func.count()).select_from(LoginFailure))


def test_why_a_deferred_transaction_that_reads_then_writes_fails_at_once(app, database_url):
    """The failure begin_write prevents: no busy timeout helps a deferred reader upgrade."""
    assert app.config["SQLITE_BUSY_TIMEOUT_MS"] >= 5_000
    assert _count_failures() == 0  # a plain deferred transaction has now read
    holder = _start_holder(database_url, hold_seconds=60)
    try:
        db.session.add(_failed_sign_in())
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            db.session.flush()
        # At once, not after the busy timeout: SQLite refuses to make a reader wait to write.
        assert time.monotonic() - started < 2
        db.session.rollback()
    finally:
        returncode = _finish(holder)
    assert returncode == 0
    assert _count_failures() == 1  # only the other process's row


def test_an_immediate_write_transaction_waits_for_the_other_writer_instead(app, database_url):
    holder = _start_holder(database_url, hold_seconds=0.5)  # then it commits by itself
    try:
        started = time.monotonic()
        begin_write()
        seen = _count_failures()  # read after the other writer committed: its row is there
        db.session.add(_failed_sign_in())
        db.session.commit()
        waited = time.monotonic() - started
    finally:
        returncode = _finish(holder)
    assert returncode == 0
    assert seen == 1
    assert 0.2 < waited < app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    assert _count_failures() == 2


def test_app_connections_use_wal_the_configured_busy_timeout_and_foreign_keys(app):
    other = create_app(app_config(app, SQLITE_BUSY_TIMEOUT_MS=4321))
    with other.app_context():
        with db.engine.connect() as connection:
            pragmas = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
            }
        db.engine.dispose()
    # synchronous 1 is NORMAL: durable enough with WAL, without an fsync per commit.
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 4321, "foreign_keys": 1,
                       "synchronous": 1}
    with db.engine.connect() as connection:  # the fixture's app: the default timeout
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == (
            app.config["SQLITE_BUSY_TIMEOUT_MS"]
        )
