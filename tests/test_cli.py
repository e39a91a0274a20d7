"""The command line: init-db, load-demo, create-user/-cluster/-practice, import-content and
export-content, including invalid files and the round trip of all demo content."""

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from registry import create_app
from registry.accounts.models import User
from registry.accounts.passwords import verify_password
from registry.config import PROJECT_ROOT
from registry.extensions import db
from registry.organisations import services as organisations
from registry.organisations.models import Board, Cluster, Hscp, Practice
from registry.projects.models import Project, Revision
from registry.text import slugify
from registry.writeup_format import parse
from tests.conftest import PASSWORD, make_config

DEMO_DIR = PROJECT_ROOT / "content" / "demo"
BOARDS = {
    "NHS Ayrshire & Arran", "NHS Borders", "NHS Dumfries & Galloway", "NHS Fife",
    "NHS Forth Valley", "NHS Grampian", "NHS Greater Glasgow & Clyde", "NHS Highland",
    "NHS Lanarkshire", "NHS Lothian", "NHS Orkney", "NHS Shetland", "NHS Tayside",
    "NHS Western Isles",
}
FRONT = {
    "title": "Safer valproate prescribing",
    "cluster": "Paisley North",
    "hscp": "Renfrewshire",
    "board": "NHS Greater Glasgow & Clyde",
    "status": "completed",
    "visibility": "public",
    "tags": "[valproate, safer prescribing]",
}  # lines 2-8 of the file; any extra keys follow, then the closing `---`
BODY = "## Aim\nEvery woman on valproate has a signed risk form.\n"


def document(*, drop: tuple[str, ...] = (), body: str = BODY, **front: str) -> str:
    """A write-up file: FRONT with keys dropped, replaced or added, then the body."""
    meta = {key: value for key, value in {**FRONT, **front}.items() if key not in drop}
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in meta.items()) + "---\n" + body


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(cli, *args: str | Path, input: str | None = None):
    return cli.invoke(args=[str(arg) for arg in args], input=input)


def counts_line(created=0, updated=0, unchanged=0, failed=0) -> str:
    return (
        f"Imported: {created} created, {updated} updated, {unchanged} unchanged, {failed} failed."
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def project(slug: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.slug == slug))


def front_keys(text: str) -> set[str]:
    return set(yaml.safe_load(text.split("---\n", 2)[1]))


def organisation_state() -> tuple:
    return (
        sorted(db.session.execute(select(Cluster.slug, Cluster.hscp_id)).all()),
        sorted(db.session.execute(select(Practice.name, Practice.cluster_id)).all()),
    )


# init-db and load-demo.


def test_init_db_loads_the_reference_organisations_once(tmp_path):
    fresh = create_app(make_config(tmp_path, f"sqlite:///{tmp_path / 'fresh.db'}"))
    runner = fresh.test_cli_runner()
    try:
        first = runner.invoke(args=["init-db"])
        assert first.exit_code == 0, first.output
        assert "added 14 boards and 31 HSCPs" in first.output
        again = runner.invoke(args=["init-db"])
        assert again.exit_code == 0, again.output
        assert "added 0 boards and 0 HSCPs" in again.output
        with fresh.app_context():
            assert set(db.session.scalars(select(Board.name))) == BOARDS
            assert count(Hscp) == 31
            assert count(User) == 0  # a production install has no accounts until made
    finally:
        with fresh.app_context():
            db.session.remove()
            db.engine.dispose()


def test_init_db_on_a_current_database_adds_nothing(cli):
    result = run(cli, "init-db")
    assert result.exit_code == 0, result.output
    assert "added 0 boards and 0 HSCPs" in result.output
    assert (count(Board), count(Hscp), count(User)) == (14, 31, 0)


def test_load_demo_prints_a_working_login_for_each_role(cli, client):
    demo_files = len(list(DEMO_DIR.glob("*.md")))
    assert count(User) == 0
    result = run(cli, "load-demo")
    assert result.exit_code == 0, result.output
    assert counts_line(created=demo_files) in result.output
    logins = re.findall(r"^\s+(member|lead|coordinator|admin)\s+(\S+@\S+)\s+(\S+)$",
                        result.output, flags=re.MULTILINE)
    assert sorted(role for role, _, _ in logins) == ["admin", "coordinator", "lead", "member"]
    assert count(User) == 4
    for role, email, password in logins:
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.role.value == role
        if role in ("member", "lead"):
            assert user.clusters, f"the demo {role} belongs to a cluster"
        response = client.post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 302, role
        client.post("/sign-out")

    again = run(cli, "load-demo")
    assert again.exit_code == 0, again.output
    assert counts_line(unchanged=demo_files) in again.output
    assert count(User) == 4


# create-user, create-cluster, create-practice.


@pytest.mark.parametrize(
    "role, clusters",
    [
        ("member", ["paisley-north"]),
        ("lead", ["paisley-north", "leith-portobello"]),
        ("coordinator", []),
        ("admin", []),
    ],
)
def test_create_user_reads_the_password_from_stdin(cli, org, role, clusters):
    cluster_args = [arg for slug in clusters for arg in ("--cluster", slug)]
    result = run(
        cli, "create-user", "Ailsa@Example.nhs.scot", "--name", "Ailsa Example", "--role", role,
        *cluster_args, "--password-stdin", input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert f"Created {role} ailsa@example.nhs.scot." in result.output
    user = db.session.scalar(select(User).where(User.email == "ailsa@example.nhs.scot"))
    assert user.role.value == role and user.name == "Ailsa Example"
    assert sorted(c.slug for c in user.clusters) == sorted(clusters)
    assert verify_password(user.password_hash, PASSWORD)
    assert PASSWORD not in result.output


@pytest.mark.parametrize(
    "email, role, clusters, password, message",
    [
        ("new@example.nhs.scot", "chief", [], PASSWORD, "Invalid value for '--role'"),
        ("new@example.nhs.scot", "member", ["nowhere"], PASSWORD,
         "cluster: No cluster called nowhere."),
        ("new@example.nhs.scot", "lead", [], PASSWORD, "Members and leads belong to a cluster."),
        ("taken@example.nhs.scot", "admin", [], PASSWORD,
         "email: An account with this email address already exists."),
        ("new@example.nhs.scot", "admin", [], "too short", "password: Use at least 12 characters."),
        ("not-an-email", "admin", [], PASSWORD, "email: Enter an email address"),
    ],
    ids=["bad-role", "unknown-cluster", "lead-without-cluster", "duplicate-email",
         "short-password", "bad-email"],
)
def test_create_user_refuses_bad_input(cli, org, email, role, clusters, password, message):
    run(cli, "create-user", "taken@example.nhs.scot", "--name", "Taken", "--role", "admin",
        "--password-stdin", input=PASSWORD + "\n")
    cluster_args = [arg for slug in clusters for arg in ("--cluster", slug)]
    result = run(cli, "create-user", email, "--name", "New Person", "--role", role,
                 *cluster_args, "--password-stdin", input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert count(User) == 1


@pytest.mark.parametrize(
    "args, succeeds, message",
    [
        (["create-cluster", "Johnstone", "--hscp", "renfrewshire"], True,
         "Created cluster Johnstone (johnstone) in Renfrewshire."),
        (["create-cluster", "Johnstone", "--hscp", "Renfrewshire"], True,
         "Created cluster Johnstone (johnstone) in Renfrewshire."),
        (["create-cluster", "paisley north", "--hscp", "renfrewshire"], False,
         "name: A cluster with this name already exists."),
        (["create-cluster", "Johnstone", "--hscp", "atlantis"], False,
         "hscp: Choose the HSCP the cluster belongs to."),
        (["create-practice", "Ferguslie Surgery", "--cluster", "paisley-north"], True,
         "Added Ferguslie Surgery to Paisley North."),
        (["create-practice", "abbey surgery", "--cluster", "Paisley North"], False,
         "name: This cluster already has a practice with this name."),
        (["create-practice", "Ferguslie Surgery", "--cluster", "nowhere"], False,
         "cluster: Choose the cluster the practice belongs to."),
    ],
    ids=["cluster", "cluster-by-hscp-name", "duplicate-cluster", "unknown-hscp", "practice",
         "duplicate-practice", "unknown-cluster"],
)
def test_create_cluster_and_practice(cli, org, args, succeeds, message):
    organisations.create_practice("Abbey Surgery", "paisley-north")
    before = organisation_state()
    result = run(cli, *args)
    assert message in result.output
    if succeeds:
        assert result.exit_code == 0, result.output
        assert organisation_state() != before
    else:
        assert result.exit_code != 0
        assert organisation_state() == before


# import-content.


def test_import_takes_files_and_folders_and_publishes(cli, org, tmp_path):
    single = write(tmp_path / "one.md", document())
    folder = tmp_path / "folder"
    write(folder / "nested" / "two.md", document(title="Renal audit of reduced eGFR"))
    write(folder / "notes.txt", "not a write-up")

    result = run(cli, "import-content", single, folder)

    assert result.exit_code == 0, result.output
    assert counts_line(created=2) in result.output
    for slug in ("safer-valproate-prescribing", "renal-audit-of-reduced-egfr"):
        imported = project(slug)
        assert imported.is_published and imported.cluster.slug == "paisley-north"
    assert count(Project) == 2


INVALID_FILES = {
    "unknown-key": (document(colour="blue"), "key `colour`", "unknown key"),
    "bad-yaml": (document(status="active: yes"), "line 6", "invalid YAML"),
    "missing-title": (document(drop=("title",)), "key `title`", "is required"),
    "bad-status": (
        document(status="finished"), "key `status`",
        "Choose one of: idea, active, completed, paused, stopped.",
    ),
    "duplicate-section": (
        document(body=BODY + "\n## Aims\nAgain.\n"), "line 13", "repeats “Aim” (line 10)"
    ),
    "unknown-adapted-from": (
        document(adapted_from="no-such-project"), "key `adapted_from`",
        "There is no project with the slug “no-such-project”.",
    ),
    "new-cluster-without-hscp": (
        document(cluster="Nowhere Cluster", drop=("hscp", "board")), "key `cluster`",
        "There is no cluster called “Nowhere Cluster”; give its `hscp`",
    ),
    "hscp-not-in-board": (
        document(cluster="Brand New Cluster", board="NHS Lothian"), "key `hscp`",
        "Renfrewshire is not in NHS Lothian.",
    ),
}


@pytest.mark.parametrize("case", list(INVALID_FILES))
def test_an_invalid_file_is_rejected_whole_and_the_rest_imported(cli, org, tmp_path, case):
    text, where, reason = INVALID_FILES[case]
    folder = tmp_path / "import"
    bad = write(folder / "a-bad.md", text.replace("Safer valproate", "Rejected valproate"))
    write(folder / "b-good.md", document(title="Greener inhalers"))
    clusters_before = organisation_state()

    result = run(cli, "import-content", folder)

    assert result.exit_code != 0
    assert f"{bad.as_posix()}: {where}: " in result.stderr
    assert reason in result.stderr
    assert counts_line(created=1, failed=1) in result.stdout
    assert [p.slug for p in db.session.scalars(select(Project))] == ["greener-inhalers"]
    assert project("greener-inhalers").is_published
    assert organisation_state() == clusters_before


def test_reimporting_updates_the_same_write_up_as_a_new_revision(cli, org, tmp_path):
    path = write(tmp_path / "valproate.md", document())
    assert counts_line(created=1) in run(cli, "import-content", path).output

    unchanged = run(cli, "import-content", path)
    assert unchanged.exit_code == 0
    assert counts_line(unchanged=1) in unchanged.output
    assert project("safer-valproate-prescribing").version == 1

    write(path, document(status="active", body=BODY + "\n## Results\nNine of 22 at baseline.\n"))
    changed = run(cli, "import-content", path)
    assert changed.exit_code == 0, changed.output
    assert counts_line(updated=1) in changed.output
    db.session.expire_all()
    updated = project("safer-valproate-prescribing")
    assert (count(Project), count(Revision)) == (1, 2)
    assert updated.version == 2 and updated.status == "active"
    assert updated.current_revision.writeup.section("results").body == "Nine of 22 at baseline."


@pytest.mark.parametrize("drop", [(), ("board",)], ids=["with-board", "hscp-only"])
def test_import_creates_a_missing_cluster_under_its_hscp(cli, org, tmp_path, drop):
    path = write(tmp_path / "new.md", document(cluster="Johnstone & Linwood", drop=drop))
    result = run(cli, "import-content", path)
    assert result.exit_code == 0, result.output
    assert (
        "New cluster created: Johnstone & Linwood (Renfrewshire, NHS Greater Glasgow & Clyde)"
        in result.output
    )
    cluster = db.session.scalar(select(Cluster).where(Cluster.slug == "johnstone-linwood"))
    assert cluster.hscp.slug == "renfrewshire"
    assert project("safer-valproate-prescribing").cluster == cluster


def test_an_adaptation_may_sort_before_its_original(cli, org, tmp_path):
    folder = tmp_path / "lineage"
    write(folder / "a-adaptation.md",
          document(title="Valproate recall in the isles", adapted_from="zz-original-audit"))
    write(folder / "zz-original.md", document(title="Zz original audit"))
    result = run(cli, "import-content", folder)
    assert result.exit_code == 0, result.output
    assert counts_line(created=2) in result.output
    assert project("valproate-recall-in-the-isles").adapted_from.slug == "zz-original-audit"


# export-content and the round trip.


def test_export_writes_one_file_per_write_up(cli, org, tmp_path, make_project):
    make_project()
    make_project(title="A draft", publish=False)
    target = tmp_path / "export"
    result = run(cli, "export-content", target)
    assert result.exit_code == 0, result.output
    assert f"Exported 2 write-ups to {target}." in result.output
    assert sorted(p.name for p in target.iterdir()) == ["a-draft.md", "safer-valproate-prescribing.md"]
    exported = parse((target / "safer-valproate-prescribing.md").read_text(encoding="utf-8"))
    assert exported.title == "Safer valproate prescribing"
    assert (exported.cluster, exported.hscp) == ("Paisley North", "Renfrewshire")


def test_all_demo_content_survives_import_then_export(cli, tmp_path):
    originals = sorted(DEMO_DIR.glob("*.md"))
    assert len(originals) >= 40
    imported = run(cli, "import-content", DEMO_DIR)
    assert imported.exit_code == 0, imported.output
    assert counts_line(created=len(originals)) in imported.output

    target = tmp_path / "export"
    exported = run(cli, "export-content", target)
    assert exported.exit_code == 0, exported.output
    assert len(list(target.glob("*.md"))) == len(originals)
    for original in originals:
        text = original.read_text(encoding="utf-8")
        before = parse(text)
        slug = before.slug or slugify(before.title, "project")
        back = (target / f"{slug}.md").read_text(encoding="utf-8")
        assert parse(back) == before, original.name
        assert front_keys(back) == front_keys(text), original.name
