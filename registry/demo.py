"""What load-demo adds beyond write-ups and accounts: tools, showcases and reuses.

Each comes from a manifest in content/demo/ (tools.yaml, showcases.yaml, reuses.yaml) and goes
through the real services, with a demo account as the actor, so every check applies: file
type, identifier guard, permissions, the search outbox. Re-running adds only what is missing.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from registry.accounts.models import User
from registry.errors import Invalid, NotAllowed, NotFound
from registry.extensions import db
from registry.projects.models import Project
from registry.projects.reuse import reuse_project
from registry.showcases import services as showcases
from registry.showcases.models import Showcase
from registry.tools.rules import ToolDetails
from registry.tools.services import Upload, add_tool

# Outside content/demo/: import-content takes every *.md below a folder as a write-up, and
# two demo tools are Markdown.
TOOL_FILES = "demo-tools"


@dataclass(frozen=True)
class Tally:
    """How many of a manifest's entries this run added, and how many were already there."""

    added: int = 0
    present: int = 0

    def count(self, added: bool) -> "Tally":
        return Tally(self.added + int(added), self.present + int(not added))


def load_extras(content_dir: Path, demo_users: dict[str, User]) -> dict[str, Tally]:
    """Attach the demo tools, curate the showcases, make the reuses; `demo_users` by role."""
    manifests = content_dir / "demo"
    admin = demo_users["admin"]
    return {
        # Tools first: a reuse links the original's tools to its copy.
        "tools": _attach_tools(admin, _read(manifests / "tools.yaml"), content_dir / TOOL_FILES),
        "showcases": _curate_showcases(admin, _read(manifests / "showcases.yaml")),
        "reuses": _reuse(demo_users, _read(manifests / "reuses.yaml")),
    }


def _attach_tools(admin: User, entries: list[dict], files: Path) -> Tally:
    result = Tally()
    for entry in entries:
        data = (files / entry["file"]).read_bytes()
        project = _project(entry["writeup"])
        # By title or by file, as add_tool refuses either twice: a tool renamed in the demo
        # must not make the next run fail.
        sha256 = hashlib.sha256(data).hexdigest()
        present = any(
            tool.title.casefold() == entry["title"].casefold() or tool.current.sha256 == sha256
            for tool in project.tools
        )
        if not present:
            details = ToolDetails(
                entry["title"], entry["kind"], entry["description"], entry["system"]
            )
            with _naming(f"tools.yaml {entry['file']}"):
                add_tool(admin, project.slug, details, Upload(entry["file"], data))
        result = result.count(added=not present)
    return result


def _curate_showcases(admin: User, entries: list[dict]) -> Tally:
    """Create any missing showcase, then add its missing items and publish it."""
    result = Tally()
    for entry in entries:
        slug = entry["slug"]
        with _naming(f"showcases.yaml {slug}"):
            showcase = db.session.scalar(select(Showcase).where(Showcase.slug == slug))
            result = result.count(added=showcase is None)
            if showcase is None:
                fields = showcases.ShowcaseFields(
                    entry["title"], slug, entry["introduction"], entry["theme"]
                )
                showcase = showcases.create(admin, fields)
            shown = {item.project.slug for item in showcase.items}
            for item in entry["items"]:
                if item["writeup"] not in shown:
                    showcases.add_item(admin, slug, item["writeup"], item["note"])
            showcases.publish(admin, slug)
    return result


def _reuse(demo_users: dict[str, User], entries: list[dict]) -> Tally:
    # The member's cluster is the busiest (cli._demo_accounts), the lead's too, and copies
    # only make it busier: so the demo accounts keep their clusters on the next run.
    cluster = demo_users["member"].clusters[0]
    result = Tally()
    for entry in entries:
        original = _project(entry["writeup"])
        present = db.session.scalar(
            select(Project.id).where(
                Project.adapted_from_id == original.id, Project.cluster_id == cluster.id
            )
        )
        if present is None:
            with _naming(f"reuses.yaml {original.slug}"):
                reuse_project(demo_users[entry["by"]], original.slug, cluster.slug)
        result = result.count(added=present is None)
    return result


def _read(manifest: Path) -> list[dict]:
    return yaml.safe_load(manifest.read_text(encoding="utf-8"))


def _project(slug: str) -> Project:
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None:
        raise Invalid({slug: ["No demo write-up has this slug."]})
    return project


@contextmanager
def _naming(entry: str) -> Iterator[None]:
    """Name the manifest entry in a refusal, so a broken demo file is quick to find."""
    try:
        yield
    except Invalid as error:
        raise Invalid(
            {f"{entry}, {name}": messages for name, messages in error.errors.items()}
        ) from error
    except (NotAllowed, NotFound) as error:
        raise Invalid({entry: [f"Refused: {error}"]}) from error
