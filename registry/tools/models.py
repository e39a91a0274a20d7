"""Tools attached to write-ups, and every file version each one has had."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.extensions import db
from registry.projects.models import Project
from registry.timeutil import utcnow


class Tool(db.Model):
    """A reusable file on a write-up: its details now, and which version is current.

    Removing a tool keeps the row (`removed_at`), so the write-up's history still lists it.
    """

    __tablename__ = "tools"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    clinical_system: Mapped[str] = mapped_column(String(20), default="", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the current ToolVersion.number
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    # The tool this one was linked from when its write-up was reused.
    reused_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("tools.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    project: Mapped[Project] = relationship()
    removed_by: Mapped[User | None] = relationship()
    reused_from: Mapped["Tool | None"] = relationship(remote_side=[id])
    versions: Mapped[list["ToolVersion"]] = relationship(
        back_populates="tool",
        order_by="ToolVersion.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    current: Mapped["ToolVersion"] = relationship(
        primaryjoin="and_(ToolVersion.tool_id == Tool.id, "
        "ToolVersion.number == foreign(Tool.version))",
        viewonly=True,
        uselist=False,
    )


class ToolVersion(db.Model):
    """One uploaded file: where its bytes are (by SHA-256), what it is, and its text."""

    __tablename__ = "tool_versions"
    __table_args__ = (UniqueConstraint("tool_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("tools.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised, as downloads are named
    extension: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    # Extracted once at upload, so an index rebuild never re-reads the files.
    text: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tool: Mapped[Tool] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()
