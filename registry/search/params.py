"""Reading search parameters from a request, shared by the page and the API."""

from dataclasses import dataclass, field

from search_index import FACETS

from registry.errors import Invalid
from registry.params import whole_number

SORTS = ("relevance", "newest")
MAX_PER_PAGE = 100
MAX_QUERY = 10_000
MAX_VALUE = 200
# Facet names as query parameters: "tags" is asked for as ?tag=… like the project list.
PARAMETER_FOR_FACET = {name: ("tag" if name == "tags" else name) for name in FACETS}


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    # True after "search instead for …": run the words as typed, without automatic correction.
    exact: bool = False


def parse_search_args(args, default_per_page: int = 20) -> SearchRequest:
    errors: dict[str, list[str]] = {}
    query = args.get("q", "")
    if len(query) > MAX_QUERY:
        errors["q"] = [f"Keep the search to {MAX_QUERY:,} characters."]
    filters: dict[str, list[str]] = {}
    for facet, parameter in PARAMETER_FOR_FACET.items():
        values = [v.strip() for v in args.getlist(parameter) if v.strip()]
        if any(len(v) > MAX_VALUE for v in values):
            errors[parameter] = ["That value is too long."]
        elif facet == "year" and not all(v.isdigit() and len(v) == 4 for v in values):
            errors[parameter] = ["Give a year such as 2024."]
        elif values:
            filters[facet] = values
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = ["Sort by relevance or newest."]
    exact = args.get("exact", "")
    if exact not in ("", "0", "1"):
        errors["exact"] = ["exact must be 1 (search the words as typed) or 0."]
    page = whole_number(args, "page", 1, 10_000, errors)
    per_page = whole_number(args, "per_page", default_per_page, MAX_PER_PAGE, errors)
    if errors:
        raise Invalid(errors)
    return SearchRequest(query=query, filters=filters, sort=sort, page=page, per_page=per_page,
                         exact=exact == "1")

