"""Reading query-string parameters, shared by the list, search page and API."""

import re


def whole_number(args, name: str, default: int, most: int, errors: dict[str, list]) -> int:
    """The parameter as a whole number from 1 to `most`; a problem goes into `errors`."""
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= most:
        errors[name] = [f"Give a whole number from 1 to {most}."]
        return default
    return value


# No stored name, slug or tag contains control characters, and PostgreSQL refuses NUL in a
# query parameter outright (a 500, not an empty list).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def short_text(args, name: str, errors: dict[str, list], most: int = 200) -> str | None:
    """The parameter trimmed, or None if blank; too long or control characters go in `errors`."""
    value = (args.get(name) or "").strip() or None
    if value and len(value) > most:
        errors[name] = ["That value is too long."]
        return None
    if value and _CONTROL.search(value):
        errors[name] = ["Remove the control characters (invisible characters such as NUL)."]
        return None
    return value
