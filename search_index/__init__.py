"""Full-text search over QI write-ups, behind a narrow interface: `ProjectDocument`s in,
`Results` out. Whoosh does the storage and text work; nothing here imports Flask or the app.

    index = ProjectIndex(Path("instance/index"), synonyms=load_synonyms(path))
    index.rebuild(documents)                      # or index.create() for an empty one
    index.update(doc); index.remove(doc_id)       # safe from many processes at once
    results = index.search("valproate audit", Scope(signed_in=True), {"board": ["nhs-fife"]})

`IndexUnavailable` (raised by search, similar, check and the writers) means the index
directory is missing or unreadable: show "search is being rebuilt" and rebuild.
"""

from search_index.documents import (
    FACETS,
    Drift,
    FacetValue,
    Hit,
    IndexUnavailable,
    ProjectDocument,
    QueryError,
    Results,
    Scope,
)
from search_index.engine import ProjectIndex
from search_index.storage import LockTimeout
from search_index.synonyms import load_synonyms

__all__ = [
    "FACETS", "Drift", "FacetValue", "Hit", "IndexUnavailable", "LockTimeout", "ProjectDocument",
    "ProjectIndex", "QueryError", "Results", "Scope", "load_synonyms",
]
