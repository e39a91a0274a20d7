from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db


class Board(db.Model):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    hscps: Mapped[list["Hscp"]] = relationship(back_populates="board", order_by="Hscp.name")


class Hscp(db.Model):
    __tablename__ = "hscps"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)

    board: Mapped[Board] = relationship(back_populates="hscps")
    clusters: Mapped[list["Cluster"]] = relationship(back_populates="hscp", order_by="Cluster.name")


class Cluster(db.Model):
    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    hscp_id: Mapped[int] = mapped_column(ForeignKey("hscps.id"), index=True)

    hscp: Mapped[Hscp] = relationship(back_populates="clusters")
    practices: Mapped[list["Practice"]] = relationship(
        back_populates="cluster", order_by="Practice.name"
    )

    @property
    def board(self) -> Board:
        return self.hscp.board


class Practice(db.Model):
    __tablename__ = "practices"
    __table_args__ = (UniqueConstraint("cluster_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), index=True
    )

    cluster: Mapped[Cluster] = relationship(back_populates="practices")
