import enum
from datetime import datetime

from sqlalchemy import Column, DateTime, Enum, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.organisations.models import Cluster
from registry.timeutil import utcnow


class Role(enum.StrEnum):
    MEMBER = "member"  # PQL or MDT colleague in a cluster
    LEAD = "lead"  # CQL of one or more clusters
    COORDINATOR = "coordinator"  # national network: edits and curates everything
    ADMIN = "admin"


cluster_memberships = Table(
    "cluster_memberships",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True),
)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    clusters: Mapped[list[Cluster]] = relationship(
        secondary=cluster_memberships, order_by="Cluster.name"
    )

    # Flask-Login's protocol; the id it stores is the sign-in's own revocable token.
    is_active = True
    is_authenticated = True
    is_anonymous = False
    session_token = None  # set by the sign-in that loaded this user

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_national(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def cluster_ids(self) -> set[int]:
        return {cluster.id for cluster in self.clusters}


class SignIn(db.Model):
    """One signed-in browser; deleting the row ends that session and its remember-me cookie."""

    __tablename__ = "sign_ins"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """Failed sign-ins, kept in the database so throttling holds across worker processes."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
