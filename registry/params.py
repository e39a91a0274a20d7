"""Reading query-string parameters, shared by the list, search page and API."""


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
