from datetime import datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from registry.extensions import db
from registry.timeutil import utcnow


class IndexChange(db.Model):
    """A write-up whose search document must be refreshed: the outbox.

    Written in the same transaction as the change itself, and deleted only once the index has
    it, so a crash between the two loses nothing: the next drain replays it.
    """

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(Integer, index=True)  # no FK: deletions too
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
