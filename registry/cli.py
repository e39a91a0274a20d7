"""Commands: flask --app wsgi init-db | load-demo | create-user | import-content | …"""

import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from registry import demo
from registry.accounts import services as accounts
from registry.errors import Invalid
from registry.organisations import services as organisations
from registry.projects import content, queries
from registry.search import services as search
from registry.tools import upkeep


def register(app: Flask) -> None:
    for command in (init_db, load_demo, create_user, create_cluster, create_practice,
                    import_content, export_content, search_commands, tools_commands):
        app.cli.add_command(command)


def upgrade_database() -> tuple[int, int]:
    """Migrate to the newest schema and add any missing reference organisations."""
    upgrade(directory=str(Path(current_app.root_path).parent / "migrations"))
    return organisations.load_reference_data(_content_dir() / "reference" / "organisations.csv")


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database and load the boards and HSCPs. Safe to re-run."""
    boards, hscps = upgrade_database()
    click.echo(f"Database is up to date; added {boards} boards and {hscps} HSCPs.")
    if not search.index().available():
        click.echo(f"Search index built: {search.rebuild()} write-ups.")


@click.command("load-demo")
@with_appcontext
def load_demo() -> None:
    """Load the demo write-ups, accounts, tools, showcases and reuses (never for production)."""
    report = content.import_files([_content_dir() / "demo"])
    _print_report(report)
    if report.failures:
        sys.exit(1)
    click.echo("\nDemo sign-ins (new passwords on every run; fictional accounts):")
    demo_users = {}
    for email, name, role, clusters in _demo_accounts():
        password = secrets.token_urlsafe(12)
        demo_users[role] = accounts.upsert_demo_user(email, name, role, password, clusters)
        click.echo(f"  {role:<12} {email:<32} {password}")
    click.echo()
    for name, tally in _or_fail(demo.load_extras, _content_dir(), demo_users).items():
        click.echo(f"Demo {name}: {tally.added} added, {tally.present} already there.")


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Name as shown to others.")
@click.option("--role", required=True, type=click.Choice(["member", "lead", "coordinator", "admin"]))
@click.option("--cluster", "clusters", multiple=True, help="Cluster slug; repeat for several.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(email, name, role, clusters, password_stdin) -> None:
    """Create an account; the password comes from a prompt or standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = _or_fail(accounts.create_user, email, name, role, password, list(clusters))
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("create-cluster")
@click.argument("name")
@click.option("--hscp", required=True, help="HSCP name or slug.")
@with_appcontext
def create_cluster(name, hscp) -> None:
    """Add a cluster under an HSCP."""
    cluster = _or_fail(organisations.create_cluster, name, hscp)
    click.echo(f"Created cluster {cluster.name} ({cluster.slug}) in {cluster.hscp.name}.")


@click.command("create-practice")
@click.argument("name")
@click.option("--cluster", required=True, help="Cluster name or slug.")
@with_appcontext
def create_practice(name, cluster) -> None:
    """Add a practice to a cluster."""
    practice = _or_fail(organisations.create_practice, name, cluster)
    click.echo(f"Added {practice.name} to {practice.cluster.name}.")


@click.command("import-content")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def import_content(paths) -> None:
    """Import write-up files and folders; each file is imported whole or not at all."""
    report = content.import_files(list(paths))
    _print_report(report)
    if report.failures:
        sys.exit(1)


@click.command("export-content")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_content(directory) -> None:
    """Write every write-up to DIRECTORY in the write-up file format."""
    count = content.export_all(directory)
    click.echo(f"Exported {count} write-ups to {directory}.")


@click.group("search")
def search_commands() -> None:
    """Maintain the search index."""


@search_commands.command("rebuild")
@with_appcontext
def search_rebuild() -> None:
    """Rebuild the index from the database and swap it in; searches keep working meanwhile."""
    click.echo(f"Search index rebuilt: {search.rebuild()} write-ups.")


@search_commands.command("check")
@with_appcontext
def search_check() -> None:
    """Compare the index with the database; exit status 1 when they have drifted apart."""
    drift = search.check()
    for name in ("missing", "stale", "orphaned"):
        ids = getattr(drift, name)
        click.echo(f"{name}: {len(ids)}" + (f" (ids {', '.join(map(str, ids[:20]))})" if ids else ""))
    if not drift.ok:
        click.echo("The index has drifted: run `flask --app wsgi search rebuild`.", err=True)
        sys.exit(1)
    click.echo("The index matches the database.")


@click.group("tools")
def tools_commands() -> None:
    """Maintain the uploaded tool files."""


@tools_commands.command("check")
@with_appcontext
def tools_check() -> None:
    """Compare the upload directory with the tool rows; exit status 1 when they differ."""
    drift = upkeep.check_files()
    click.echo(f"missing files: {len(drift.missing)}")
    for sha256 in drift.missing:
        click.echo(f"  {sha256} is used by a tool but is not on disk: restore it from a backup.")
    click.echo(f"unused files: {len(drift.unreferenced)}")
    if drift.unreferenced:
        click.echo("  Run `flask --app wsgi tools prune` to remove them.")
    if not drift.ok:
        sys.exit(1)
    click.echo("Every tool's file is stored, and every stored file belongs to a tool.")


@tools_commands.command("prune")
@with_appcontext
def tools_prune() -> None:
    """Remove stored files no tool uses (left by a crashed upload); safe while serving."""
    removed = upkeep.prune_files()
    click.echo(f"Removed {len(removed)} unused files.")


def _print_report(report: content.ImportReport) -> None:
    for cluster in report.new_clusters:
        click.echo(f"New cluster created: {cluster}")
    for path, problems in report.failures.items():
        for problem in problems:
            click.echo(f"{path}: {problem}", err=True)
    click.echo(
        f"Imported: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.failures)} failed."
    )


def _demo_accounts() -> list[tuple[str, str, str, list[str]]]:
    busiest = queries.busiest_cluster_slugs(2)
    return [
        ("member@demo.invalid", "Demo Member (PQL)", "member", busiest[:1]),
        ("lead@demo.invalid", "Demo Lead (CQL)", "lead", busiest[:2]),
        ("coordinator@demo.invalid", "Demo Coordinator (HIS)", "coordinator", []),
        ("admin@demo.invalid", "Demo Administrator", "admin", []),
    ]


def _content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def _or_fail(create, *args):
    """Run a service; on invalid input print each field's problem and exit with status 2."""
    try:
        return create(*args)
    except Invalid as error:
        for name, messages in error.errors.items():
            click.echo(f"{name}: {' '.join(messages)}", err=True)
        sys.exit(2)
