"""Which write-ups each Atom feed carries: only public, published ones, newest first."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from registry.extensions import db
from registry.organisations.models import Board, Cluster, Hscp
from registry.projects.models import Project, Tag
from registry.projects.permissions import readable_clause
from registry.showcases import services as showcases
from registry.showcases.models import Showcase
from registry.text import tag_key

FEED_LENGTH = 50


def newest(*conditions) -> list[Project]:
    """The most recently published write-ups anyone may read, narrowed by `conditions`."""
    return list(
        db.session.scalars(
            select(Project)
            .join(Project.cluster)
            .join(Cluster.hscp)
            .where(readable_clause(None), *conditions)
            .options(
                joinedload(Project.cluster).joinedload(Cluster.hscp).joinedload(Hscp.board),
                selectinload(Project.tags),
            )
            .order_by(Project.published_at.desc(), Project.id.desc())
            .limit(FEED_LENGTH)
        )
    )


def tagged(tag: str):
    return Project.tags.any(Tag.key == tag_key(tag))


def in_cluster(cluster: Cluster):
    return Project.cluster_id == cluster.id


def in_board(board: Board):
    return Hscp.board_id == board.id


def showcased(showcase: Showcase) -> list[Project]:
    """A published showcase's write-ups that its readers see, most recently added first."""
    items = sorted(showcases.public_items(showcase), key=lambda item: item.added_at, reverse=True)
    return [item.project for item in items[:FEED_LENGTH]]
