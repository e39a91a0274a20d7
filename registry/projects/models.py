from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.extensions import db
from registry.organisations.models import Cluster
from registry.timeutil import utcnow
from registry.writeup_format import WriteUp

if TYPE_CHECKING:
    from registry.tools.models import Tool

project_tags = Table(
    "project_tags",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # case-folded, for matching
    name: Mapped[str] = mapped_column(String(80))  # first spelling seen, for display


class Project(db.Model):
    """A write-up's current state, as columns to filter on; its text lives in revisions."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")  # as shown: given or derived
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    visibility: Mapped[str] = mapped_column(String(20), index=True)
    started: Mapped[date | None] = mapped_column(Date)
    finished: Mapped[date | None] = mapped_column(Date)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adapted_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic edit check
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )

    cluster: Mapped[Cluster] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=project_tags, order_by=Tag.key)
    adapted_from: Mapped["Project | None"] = relationship(
        remote_side=[id], back_populates="adaptations"
    )
    adaptations: Mapped[list["Project"]] = relationship(
        back_populates="adapted_from", order_by="Project.title"
    )
    revisions: Mapped[list["Revision"]] = relationship(
        back_populates="project",
        order_by="Revision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    current_revision: Mapped["Revision | None"] = relationship(
        primaryjoin="and_(Revision.project_id == Project.id, "
        "Revision.number == foreign(Project.version))",
        viewonly=True,
        uselist=False,
    )
    # Attached tools in use (registry/tools/models.py); removed ones stay for the history.
    tools: Mapped[list["Tool"]] = relationship(
        primaryjoin="and_(Tool.project_id == Project.id, Tool.removed_at.is_(None))",
        order_by="Tool.id",
        viewonly=True,
    )


class Revision(db.Model):
    """One save of a write-up: the whole document as the contract's parts, and its HTML."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(20))  # "editor" or "import"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    rendered: Mapped[dict[str, str]] = mapped_column(JSON)  # part name -> sanitised HTML

    project: Mapped[Project] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()

    @property
    def writeup(self) -> WriteUp:
        return WriteUp.from_json(self.document)
