"""Import and export of write-up files (the contract format), in bulk."""

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from registry.errors import Invalid
from registry.extensions import db
from registry.organisations.models import Cluster
from registry.organisations.services import find_by_name_or_slug
from registry.projects.models import Project
from registry.projects.services import save_writeup
from registry.text import slugify
from registry.writeup_format import FormatError, WriteUp, field_location, parse, serialise
from registry.writeup_rules import Problem


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_clusters: list[str] = field(default_factory=list)
    failures: dict[str, list[Problem]] = field(default_factory=dict)


def find_writeup_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return files


def import_files(paths: list[Path]) -> ImportReport:
    """Import every file whole or not at all; files that adapt others go after their originals."""
    report = ImportReport()
    parsed: dict[Path, WriteUp] = {}
    for path in find_writeup_files(paths):
        try:
            parsed[path] = parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            report.failures[path.as_posix()] = [Problem("file", f"cannot be read: {error}")]
        except FormatError as error:
            report.failures[path.as_posix()] = error.problems
    for path, writeup in _originals_first(parsed):
        try:
            _import_one(writeup, report)
        except Invalid as error:
            db.session.rollback()
            report.failures[path.as_posix()] = [
                Problem(field_location(name, writeup), " ".join(messages))
                for name, messages in error.errors.items()
            ]
    return report


def export_all(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for project in db.session.scalars(select(Project).order_by(Project.slug)):
        writeup = project.current_revision.writeup
        # The organisation may have been renamed since the revision was saved.
        writeup.cluster = project.cluster.name
        writeup.hscp = project.cluster.hscp.name
        writeup.board = project.cluster.board.name
        (directory / f"{project.slug}.md").write_text(serialise(writeup), encoding="utf-8")
        count += 1
    return count


def _import_one(writeup: WriteUp, report: ImportReport) -> None:
    slug = writeup.slug or slugify(writeup.title, "project")
    existing = db.session.scalar(select(Project).where(Project.slug == slug))
    cluster_existed = find_by_name_or_slug(Cluster, writeup.cluster) is not None
    if existing is not None and _same_document(existing, writeup):
        report.unchanged.append(slug)
        return
    save_writeup(
        None, writeup, slug=existing.slug if existing else None, source="import", publish=True
    )
    (report.updated if existing else report.created).append(slug)
    if not cluster_existed:
        report.new_clusters.append(f"{writeup.cluster} ({writeup.hscp}, {writeup.board})")


def _same_document(project: Project, writeup: WriteUp) -> bool:
    current = project.current_revision.writeup
    placed = replace(writeup, slug=project.slug, cluster=current.cluster,
                     hscp=current.hscp, board=current.board)
    return find_by_name_or_slug(Cluster, writeup.cluster) == project.cluster and current == placed


def _originals_first(parsed: dict[Path, WriteUp]) -> list[tuple[Path, WriteUp]]:
    by_slug = {(w.slug or slugify(w.title, "project")): p for p, w in parsed.items()}
    ordered: list[tuple[Path, WriteUp]] = []
    placed: set[Path] = set()

    def place(path: Path, seen: frozenset) -> None:
        if path in placed or path in seen:
            return
        original = by_slug.get(parsed[path].adapted_from or "")
        if original is not None:
            place(original, seen | {path})
        placed.add(path)
        ordered.append((path, parsed[path]))

    for path in parsed:
        place(path, frozenset())
    return ordered

