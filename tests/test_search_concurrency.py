"""Several processes (as several gunicorn workers) publish, edit, unpublish and restrict write-ups
at once on one database and one index directory: every change is searchable as soon as its
call returns, in the process that made it, and afterwards `search check` finds no drift."""

import pytest
from sqlalchemy import select

from registry import create_app
from registry.accounts.models import User
from registry.extensions import db
from registry.projects import services as projects
from registry.search import services as search
from registry.writeup_format import Section, WriteUp
from search_index import Scope
from tests.processes import app_config, run_workers

pytestmark = pytest.mark.slow

WORKERS = 3
ROUNDS = 6
ANONYMOUS = Scope()


def token(worker: int, number: int, edit: str = "") -> str:
    """A made-up word found in one write-up only (letters only, so analysis keeps it whole)."""
    return f"kestrel{'abcdef'[worker]}{'abcdefgh'[number]}{edit}"


def _writeup(worker: int, number: int, summary: str, visibility: str = "public") -> WriteUp:
    return WriteUp(
        title=f"Recall round {token(worker, number)}",
        cluster="paisley-north",
        visibility=visibility,
        summary=summary,
        sections=[Section(heading="Aim", body="Everyone due a review has one.", key="aim")],
    )


def _anonymous_slugs(query: str) -> list[str]:
    return [hit.slug for hit in search.index().search(query, ANONYMOUS, autocorrect=False).hits]


def _worker(worker: int, barrier, config: dict, emails: list[str]) -> dict[str, str]:
    """Returns each write-up's slug with what an anonymous search should now find of it."""
    app = create_app(config)
    outcome = {}
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.email == emails[worker]))
        db.session.rollback()
        barrier.wait(timeout=60)
        for number in range(ROUNDS):
            word, edited = token(worker, number), token(worker, number, "edited")
            slug = projects.save_writeup(
                actor, _writeup(worker, number, "First draft."), publish=False
            ).slug
            assert _anonymous_slugs(word) == []
            projects.publish(actor, slug)
            assert _anonymous_slugs(word) == [slug]
            projects.save_writeup(
                actor, _writeup(worker, number, f"Now with {edited}."), slug=slug,
                expected_version=1,
            )
            assert _anonymous_slugs(edited) == [slug]
            if number % 3 == 1:
                projects.unpublish(actor, slug)
            elif number % 3 == 2:
                projects.save_writeup(
                    actor, _writeup(worker, number, f"Now with {edited}.", "cluster"),
                    slug=slug, expected_version=2,
                )
            expected = "public" if number % 3 == 0 else "hidden"
            assert bool(_anonymous_slugs(edited)) == (expected == "public")
            outcome[slug] = expected
        db.session.remove()
        db.engine.dispose()
    return outcome


def test_writes_from_several_processes_keep_the_index_true(app, cli, org, make_user):
    search.rebuild()
    emails = [make_user("lead", ("paisley-north",)).email for _ in range(WORKERS)]
    db.session.remove()

    outcomes = run_workers(_worker, WORKERS, app_config(app), emails, timeout=240)

    expected = {slug: state for outcome in outcomes for slug, state in outcome.items()}
    assert len(expected) == WORKERS * ROUNDS
    public = sorted(slug for slug, state in expected.items() if state == "public")
    everything = search.index().search("", ANONYMOUS, per_page=100)
    assert sorted(hit.slug for hit in everything.hits) == public
    national = search.index().search("recall", Scope(everything=True), per_page=100)
    assert national.total == WORKERS * ROUNDS

    checked = cli.invoke(args=["search", "check"])
    assert checked.exit_code == 0, checked.output
    assert "missing: 0" in checked.output and "stale: 0" in checked.output
