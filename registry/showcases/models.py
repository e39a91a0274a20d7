from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.extensions import db
from registry.projects.models import Project, Tag
from registry.timeutil import utcnow


class Showcase(db.Model):
    """A curated, ordered collection of write-ups with an introduction, for the public."""

    __tablename__ = "showcases"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")  # Markdown source
    introduction_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on save
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="SET NULL"), index=True
    )
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    theme: Mapped[Tag | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    items: Mapped[list["ShowcaseItem"]] = relationship(
        back_populates="showcase",
        order_by="ShowcaseItem.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ShowcaseItem(db.Model):
    """One write-up in a showcase, at a position, with the curator's note."""

    __tablename__ = "showcase_items"
    __table_args__ = (UniqueConstraint("showcase_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    showcase_id: Mapped[int] = mapped_column(ForeignKey("showcases.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    # Not unique: swapping two items' positions would break it in the middle of the flush.
    position: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")  # Markdown source
    note_html: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    showcase: Mapped[Showcase] = relationship(back_populates="items")
    project: Mapped[Project] = relationship()

