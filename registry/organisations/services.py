"""Boards, HSCPs, clusters and practices: reference data and the admin operations on them."""

import csv
from pathlib import Path

from sqlalchemy import func, or_, select

from registry.database import begin_write
from registry.errors import Invalid, NotFound
from registry.extensions import db
from registry.organisations.models import Board, Cluster, Hscp, Practice
from registry.text import slugify

MAX_NAME = 120


def load_reference_data(csv_path: Path) -> tuple[int, int]:
    """Add any boards and HSCPs from the CSV that are missing; return how many were added."""
    begin_write()
    boards = {b.name: b for b in db.session.scalars(select(Board))}
    hscps = {h.name for h in db.session.scalars(select(Hscp))}
    added_boards = added_hscps = 0
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            board = boards.get(row["board"])
            if board is None:
                board = boards[row["board"]] = Board(name=row["board"], slug=slugify(row["board"]))
                db.session.add(board)
                added_boards += 1
            if row["hscp"] not in hscps:
                db.session.add(Hscp(name=row["hscp"], slug=slugify(row["hscp"]), board=board))
                hscps.add(row["hscp"])
                added_hscps += 1
    db.session.commit()
    return added_boards, added_hscps


def find_by_name_or_slug(model, text: str):
    """A board, HSCP or cluster named by its name (any case) or its slug."""
    text = text.strip()
    return db.session.scalar(
        select(model).where(or_(func.lower(model.name) == text.lower(), model.slug == text))
    )


def get_by_slug(model, slug: str):
    found = db.session.scalar(select(model).where(model.slug == slug))
    if found is None:
        raise NotFound(slug)
    return found


def create_cluster(name: str, hscp_name: str) -> Cluster:
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not 2 <= len(name) <= MAX_NAME:
        errors["name"] = [f"Enter a cluster name of 2 to {MAX_NAME} characters."]
    begin_write()
    hscp = find_by_name_or_slug(Hscp, hscp_name) if hscp_name.strip() else None
    if hscp is None:
        errors["hscp"] = ["Choose the HSCP the cluster belongs to."]
    if name and (
        find_by_name_or_slug(Cluster, name) or find_by_name_or_slug(Cluster, slugify(name))
    ):
        errors["name"] = ["A cluster with this name already exists."]
    if errors:
        db.session.rollback()
        raise Invalid(errors)
    cluster = Cluster(name=name, slug=slugify(name, "cluster"), hscp=hscp)
    db.session.add(cluster)
    db.session.commit()
    return cluster


def place_new_cluster(name: str, hscp_name: str | None, board_name: str | None) -> Cluster:
    """A cluster named by an imported file, added to the session under its HSCP (no commit)."""
    hscp = find_by_name_or_slug(Hscp, hscp_name) if hscp_name else None
    if hscp is None:
        raise Invalid(
            {"cluster": [f"There is no cluster called “{name}”; give its `hscp` (and `board`) "
                         "so it can be created."]}
        )
    board = find_by_name_or_slug(Board, board_name) if board_name else None
    if board_name and board is None:
        raise Invalid({"board": [f"There is no board called “{board_name}”."]})
    if board is not None and hscp.board_id != board.id:
        raise Invalid({"hscp": [f"{hscp.name} is not in {board.name}."]})
    name = " ".join(name.split())
    cluster = Cluster(name=name, slug=slugify(name, "cluster"), hscp=hscp)
    db.session.add(cluster)
    return cluster


def create_practice(name: str, cluster_slug: str) -> Practice:
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not 2 <= len(name) <= 160:
        errors["name"] = ["Enter a practice name of 2 to 160 characters."]
    begin_write()
    cluster = find_by_name_or_slug(Cluster, cluster_slug) if cluster_slug.strip() else None
    if cluster is None:
        errors["cluster"] = ["Choose the cluster the practice belongs to."]
    elif any(p.name.lower() == name.lower() for p in cluster.practices):
        errors["name"] = ["This cluster already has a practice with this name."]
    if errors:
        db.session.rollback()
        raise Invalid(errors)
    practice = Practice(name=name, cluster=cluster)
    db.session.add(practice)
    db.session.commit()
    return practice


def all_boards() -> list[Board]:
    return list(db.session.scalars(select(Board).order_by(Board.name)))


def all_hscps() -> list[Hscp]:
    return list(db.session.scalars(select(Hscp).order_by(Hscp.name)))


def all_clusters() -> list[Cluster]:
    return list(db.session.scalars(select(Cluster).order_by(Cluster.name)))
