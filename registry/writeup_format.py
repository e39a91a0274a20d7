"""The write-up file format (shared/spec/writeup-format.md): YAML front matter and `##` sections.

`parse` turns a document into a `WriteUp` or raises `FormatError` listing every problem with the
key or line it concerns; `serialise` writes a `WriteUp` back. The web editor, import and export
all go through `WriteUp`, so the contract is enforced in one place.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import yaml

from registry.privacy.identifiers import find_in_text
from registry.writeup_rules import (
    SECTION_ALIASES,
    Problem,
    check_writeup,
)

FRONT_MATTER_KEYS = (
    "title", "slug", "cluster", "hscp", "board", "status", "role", "started", "finished",
    "tags", "authors", "summary", "visibility", "adapted_from", "measures",
)
MEASURE_KEYS = ("name", "type", "definition", "unit", "goal", "data")

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


@dataclass
class Measure:
    name: str
    type: str
    definition: str | None = None
    unit: str | None = None
    goal: float | int | None = None
    data: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    body: str
    key: str | None = None  # canonical name, or None for an extra section


@dataclass
class WriteUp:
    title: str
    cluster: str
    slug: str | None = None
    hscp: str | None = None
    board: str | None = None
    status: str = "active"
    role: str = "intrinsic"
    started: date | None = None
    finished: date | None = None
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    summary: str | None = None
    visibility: str = "network"
    adapted_from: str | None = None
    measures: list[Measure] = field(default_factory=list)
    intro: str = ""
    sections: list[Section] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["started"] = self.started.isoformat() if self.started else None
        data["finished"] = self.finished.isoformat() if self.finished else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "WriteUp":
        values = dict(data)
        values["started"] = date.fromisoformat(data["started"]) if data.get("started") else None
        values["finished"] = date.fromisoformat(data["finished"]) if data.get("finished") else None
        values["measures"] = [Measure(**m) for m in data.get("measures", [])]
        values["sections"] = [Section(**s) for s in data.get("sections", [])]
        return cls(**values)


class FormatError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def parse(text: str) -> WriteUp:
    """Parse and validate a whole document; raise FormatError with every problem found."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    front, body, body_line = _split_front_matter(text)
    meta = _load_yaml(front)
    problems = [
        Problem(f"key `{key}`", "unknown key; allowed keys are " + ", ".join(FRONT_MATTER_KEYS))
        for key in meta
        if key not in FRONT_MATTER_KEYS
    ]
    for key in ("title", "cluster"):
        if meta.get(key) in (None, ""):
            problems.append(Problem(f"key `{key}`", "is required"))
    values: dict[str, Any] = {}
    reported = {"title", "cluster"} & {p.where[5:-1] for p in problems}
    for key in FRONT_MATTER_KEYS:
        if key in meta and meta[key] is not None:
            value, key_problems = _coerce(key, meta[key])
            problems.extend(Problem(f"key `{key}`", problem) for problem in key_problems)
            if key_problems:
                reported.add(key)
            else:
                values[key] = value
    intro, sections, section_problems = _split_sections(body, body_line)
    problems.extend(section_problems)
    writeup = WriteUp(
        **{"title": "", "cluster": "", **values}, intro=intro, sections=sections
    )
    for name, messages in check_writeup(writeup).items():
        key = name.split("-")[0]
        if key not in reported:
            problems.extend(Problem(field_location(name, writeup), message) for message in messages)
    if problems:
        raise FormatError(problems)
    return writeup


def serialise(writeup: WriteUp) -> str:
    meta: dict[str, Any] = {}
    for key in FRONT_MATTER_KEYS:
        value = getattr(writeup, key)
        if key == "measures":
            value = [_measure_to_yaml(m) for m in value]
        elif key in ("tags", "authors"):
            value = _FlowList(value)
        if value not in (None, "", []):
            meta[key] = value
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    parts = [f"---\n{front}---\n"]
    if writeup.intro.strip():
        parts.append(writeup.intro.strip() + "\n")
    for section in writeup.sections:
        parts.append(f"## {section.heading}\n\n{section.body.strip()}\n".replace("\n\n\n", "\n\n"))
    return "\n".join(parts)


def field_location(name: str, writeup: WriteUp) -> str:
    """Where in the file a field name from check_writeup is: "section “Aim”", "key `title`"."""
    kind, _, number = name.partition("-")
    if kind == "measures" and number:
        return f"key `measures`, measure {number}"
    if kind == "sections" and number:
        heading = writeup.sections[int(number) - 1].heading
        if find_in_text(heading):  # a report must not repeat a patient identifier
            return f"section {number}"
        return f"section “{heading}”"
    if kind == "intro":
        return "introduction"
    return f"key `{kind}`"


def section_key(heading: str) -> str | None:
    return SECTION_ALIASES.get(" ".join(heading.split()).casefold())



def _split_front_matter(text: str) -> tuple[str, str, int]:
    if not text.startswith("---\n"):
        raise FormatError([Problem("line 1", "the file must start with `---` and YAML front matter")])
    end = re.search(r"^---[ \t]*$", text[4:], flags=re.MULTILINE)
    if end is None:
        raise FormatError([Problem("line 1", "the front matter is not closed by a `---` line")])
    front = text[4 : 4 + end.start()]
    body = text[4 + end.end() :].lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return front, body, body_line


def _load_yaml(front: str) -> dict[str, Any]:
    try:
        meta = yaml.load(front, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if error.context_mark and "stream" in (error.problem or ""):
            # An unclosed quote or bracket: say where it was opened, not where the text ended.
            mark = error.context_mark
        where = f"line {mark.line + 2}" if mark else "front matter"
        raise FormatError([Problem(where, f"invalid YAML: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise FormatError([Problem("front matter", f"invalid YAML: {error}")]) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise FormatError([Problem("front matter", "must be a mapping of keys to values")])
    return {str(key): value for key, value in meta.items()}


class _Loader(yaml.SafeLoader):
    """Scalars stay text as written, and each key's type is checked by `_coerce`.

    YAML 1.1 would turn the tag `Yes` into True, `1.10` into 1.1, and fail outright on an
    impossible date like 2023-02-30; keeping text keeps the author's spelling and lets every
    problem be reported with the key it belongs to.
    """

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key `{key}` appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _coerce(key: str, value: Any) -> tuple[Any, list[str]]:
    if key in ("started", "finished"):
        when, problem = _coerce_date(value)
        return when, [problem] if problem else []
    if key in ("tags", "authors"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, ["must be a list of text items"]
        return [v.strip() for v in value], []
    if key == "measures":
        return _coerce_measures(value)
    if not isinstance(value, str):
        return None, ["must be text"]
    return value.strip(), []


def _coerce_date(value: Any) -> tuple[date | None, str | None]:
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()), None
        except ValueError:
            pass
    return None, "must be an ISO date such as 2023-04-01"


def _coerce_number(value: Any) -> float | int | None:
    if not isinstance(value, str) or not _NUMBER.match(value.strip()):
        return None
    text = value.strip()
    return float(text) if any(c in text for c in ".eE") else int(text)


def _coerce_measures(value: Any) -> tuple[list[Measure] | None, list[str]]:
    if not isinstance(value, list):
        return None, ["must be a list of measures"]
    measures: list[Measure] = []
    problems: list[str] = []
    for number, item in enumerate(value, 1):
        measure, problem = _coerce_measure(item)
        if problem:
            problems.append(f"measure {number}: {problem}")
        else:
            measures.append(measure)
    return measures, problems


def _coerce_measure(item: Any) -> tuple[Measure | None, str | None]:
    if not isinstance(item, dict):
        return None, "must be a mapping with name and type"
    unknown = sorted(set(map(str, item)) - set(MEASURE_KEYS))
    if unknown:
        return None, f"unknown key `{unknown[0]}`; allowed: " + ", ".join(MEASURE_KEYS)
    for key in ("name", "type", "definition", "unit"):
        if item.get(key) is not None and not isinstance(item[key], str):
            return None, f"{key} must be text"
    data, problem = _coerce_points(item.get("data") or [])
    if problem:
        return None, problem
    goal = item.get("goal")
    if goal is not None:
        goal = _coerce_number(goal)
        if goal is None:
            return None, "goal must be a number"
    return (
        Measure(
            name=(item.get("name") or "").strip(),
            type=(item.get("type") or "").strip(),
            definition=_optional_text(item.get("definition")),
            unit=_optional_text(item.get("unit")),
            goal=goal,
            data=data,
        ),
        None,
    )


def _coerce_points(points: Any) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(points, list):
        return [], "data must be a list of points"
    result = []
    for number, point in enumerate(points, 1):
        if not isinstance(point, dict):
            return [], f"data point {number} must be a mapping"
        when, problem = _coerce_date(point.get("date"))
        if problem:
            return [], f"data point {number}: date {problem}"
        keys = set(point) - {"date"}
        numbers = {k: _coerce_number(point[k]) for k in keys}
        if any(v is None for v in numbers.values()):
            return [], f"data point {number}: values must be numbers"
        if keys == {"value"}:
            result.append({"date": when.isoformat(), "value": numbers["value"]})
        elif keys == {"numerator", "denominator"}:
            result.append(
                {"date": when.isoformat(), "numerator": numbers["numerator"],
                 "denominator": numbers["denominator"]}
            )
        else:
            return [], f"data point {number} needs either value, or numerator and denominator"
    return result, None


def _optional_text(value: Any) -> str | None:
    return None if value in (None, "") else str(value).strip()


def _split_sections(body: str, first_line: int) -> tuple[str, list[Section], list[Problem]]:
    intro: list[str] = []
    sections: list[tuple[str, int, list[str]]] = []
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), first_line):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip(marker[0] + " \t"):
                fence = None  # a closing fence: same character, at least as long, nothing after
        heading = None if fence else _HEADING.match(line)
        if heading:
            sections.append((heading.group(1), number, []))
        elif sections:
            sections[-1][2].append(line)
        else:
            intro.append(line)
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    result = []
    for heading, number, lines in sections:
        if not heading:
            problems.append(Problem(f"line {number}", "a `##` heading needs a name"))
            continue
        key = section_key(heading)
        if key and key in seen:
            other, other_line = seen[key]
            problems.append(
                Problem(
                    f"line {number}",
                    f"section “{heading}” repeats “{other}” (line {other_line}); "
                    "merge them into one section",
                )
            )
        elif key:
            seen[key] = (heading, number)
        result.append(Section(heading=heading, body="\n".join(lines).strip(), key=key))
    return "\n".join(intro).strip(), result, problems


def _measure_to_yaml(measure: Measure) -> dict[str, Any]:
    item: dict[str, Any] = {"name": measure.name, "type": measure.type}
    for key in ("definition", "unit", "goal"):
        if getattr(measure, key) is not None:
            item[key] = getattr(measure, key)
    if measure.data:
        item["data"] = [
            _FlowMapping({"date": date.fromisoformat(p["date"]), **{k: v for k, v in p.items() if k != "date"}})
            for p in measure.data
        ]
    return item


class _FlowMapping(dict):
    """A data point, written on one line as in the contract's example."""


class _FlowList(list):
    """Tags and authors, written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _FlowList,
    lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True),
)

_Dumper.add_representer(
    _FlowMapping,
    lambda dumper, value: dumper.represent_mapping(
        "tag:yaml.org,2002:map", value.items(), flow_style=True
    ),
)
