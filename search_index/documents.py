"""The plain values that cross the interface: documents in, results out. No whoosh here."""

from dataclasses import dataclass, field
from datetime import datetime

FACETS = ("tags", "board", "hscp", "cluster", "status", "role", "year", "tool_kind")
SORTS = ("relevance", "newest")


class IndexUnavailable(Exception):
    """The index directory is missing, unreadable or holds no index.

    `search`, `similar`, `update`, `update_many`, `remove` and `check` raise it; the app shows
    "search is being rebuilt" and keeps the change pending. `rebuild` (or `create`) makes a new
    index and clears it.
    """


class QueryError(ValueError):
    """A parameter the caller passed wrongly (unknown sort, page < 1, unknown facet name).

    Never raised for the user's query text: malformed text is handled and explained in
    `Results.message`.
    """


@dataclass(frozen=True)
class ProjectDocument:
    id: int
    slug: str
    title: str
    summary: str
    aim: str
    body: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    cluster: str
    cluster_name: str
    hscp: str
    hscp_name: str
    board: str
    board_name: str
    status: str
    role: str
    year: int | None
    visibility: str
    published: bool
    cluster_id: int
    updated: datetime
    fingerprint: str
    tool_kinds: tuple[str, ...] = ()
    tool_text: str = ""


@dataclass(frozen=True)
class Scope:
    """Who is searching: visibility is enforced inside the search."""

    everything: bool = False
    signed_in: bool = False
    cluster_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Hit:
    id: int
    slug: str
    title: str
    summary: str
    cluster: str
    cluster_name: str
    board: str
    board_name: str
    status: str
    tags: tuple[str, ...]
    score: float
    highlight: str


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    corrected_from: str | None = None
    partial: bool = False
    message: str | None = None


@dataclass(frozen=True)
class Drift:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)
