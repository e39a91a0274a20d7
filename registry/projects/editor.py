"""Between the editor form and a WriteUp, both ways, keeping every error tied to its field."""

import re
from datetime import date
from types import SimpleNamespace

from registry.projects.forms import WriteUpForm
from registry.writeup_format import Measure, Section, WriteUp
from registry.writeup_rules import SECTION_TITLES

_POINT = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})\s*[,;\t ]\s*"
    r"(?:(?P<num>-?\d+(?:\.\d+)?)\s*/\s*(?P<den>-?\d+(?:\.\d+)?)|(?P<value>-?\d+(?:\.\d+)?))\s*$"
)
DATA_HINT = "One point a line: a date and a value (2024-01-31, 42) or a fraction (2024-01-31, 9/22)."


def writeup_from_form(
    form: WriteUpForm, previous: WriteUp | None
) -> tuple[WriteUp, dict[str, str], dict[str, list[str]]]:
    """Build a WriteUp; also return error name -> field id, and errors found while converting."""
    field_for: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    sections: list[Section] = []
    for key, title in SECTION_TITLES.items():
        body = (getattr(form, f"section_{key}").data or "").strip()
        if body:
            kept = previous.section(key) if previous else None
            sections.append(Section(heading=kept.heading if kept else title, body=body, key=key))
            field_for[f"sections-{len(sections)}"] = f"section_{key}"
    for entry in form.extra_sections:
        heading = (entry.form.heading.data or "").strip()
        body = (entry.form.body.data or "").strip()
        if heading or body:
            sections.append(Section(heading=heading, body=body, key=None))
            field_for[f"sections-{len(sections)}"] = entry.form.heading.id
    measures: list[Measure] = []
    for entry in form.measures:
        fields = entry.form
        typed = (fields.name, fields.type, fields.definition, fields.unit, fields.goal, fields.data)
        if not any((field.data or "").strip() for field in typed):
            continue
        points, problem = parse_points(fields.data.data or "")
        if problem:
            errors[fields.data.id] = [problem]
        goal, goal_problem = _number(fields.goal.data)
        if goal_problem:
            errors[fields.goal.id] = [goal_problem]
        measures.append(
            Measure(
                name=(fields.name.data or "").strip(),
                type=fields.type.data or "",
                definition=(fields.definition.data or "").strip() or None,
                unit=(fields.unit.data or "").strip() or None,
                goal=goal,
                data=points,
            )
        )
        field_for[f"measures-{len(measures)}"] = fields.name.id
    writeup = WriteUp(
        title=(form.title.data or "").strip(),
        cluster=form.cluster.data or "",
        status=form.status.data or "",
        role=form.role.data or "",
        visibility=form.visibility.data or "",
        started=form.started.data,
        finished=form.finished.data,
        tags=split_tags(form.tags.data or ""),
        authors=[line.strip() for line in (form.authors.data or "").splitlines() if line.strip()],
        summary=" ".join((form.summary.data or "").split()) or None,
        adapted_from=(form.adapted_from.data or "").strip() or None,
        measures=measures,
        intro=(form.intro.data or "").strip(),
        sections=sections,
    )
    return writeup, field_for, errors


def form_data_from_writeup(writeup: WriteUp, cluster_slug: str, version: int | None) -> dict:
    """Keyword data to prefill WriteUpForm(data=...) with an existing write-up."""
    data = {
        "title": writeup.title,
        "summary": writeup.summary or "",
        "cluster": cluster_slug,
        "status": writeup.status,
        "role": writeup.role,
        "visibility": writeup.visibility,
        "started": writeup.started,
        "finished": writeup.finished,
        "tags": ", ".join(writeup.tags),
        "authors": "\n".join(writeup.authors),
        "adapted_from": writeup.adapted_from or "",
        "intro": writeup.intro,
        "version": "" if version is None else str(version),
        # Objects, not dicts: WTForms' FormField passes a dict's keys as keyword arguments to
        # the sub-form, and the measure's `data` field would collide with Form(data=...).
        "measures": [
            SimpleNamespace(
                name=m.name,
                type=m.type,
                definition=m.definition or "",
                unit=m.unit or "",
                goal="" if m.goal is None else str(m.goal),
                data="\n".join(_format_point(p) for p in m.data),
            )
            for m in writeup.measures
        ],
        "extra_sections": [
            {"heading": s.heading, "body": s.body} for s in writeup.sections if s.key is None
        ],
    }
    for section in writeup.sections:
        if section.key:
            data[f"section_{section.key}"] = section.body
    return data


def split_tags(text: str) -> list[str]:
    seen: set[str] = set()
    tags = []
    for tag in re.split(r"[,\n]", text):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def parse_points(text: str) -> tuple[list[dict], str | None]:
    points = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _POINT.match(line)
        if match is None:
            return [], f"Line {number} is not a data point. {DATA_HINT}"
        try:
            when = date.fromisoformat(match.group(1))
        except ValueError:
            return [], f"Line {number}: {match.group(1)} is not a real date."
        if match.group("value") is not None:
            points.append({"date": when.isoformat(), "value": _to_number(match.group("value"))})
        else:
            points.append(
                {"date": when.isoformat(), "numerator": _to_number(match.group("num")),
                 "denominator": _to_number(match.group("den"))}
            )
    return points, None


def _number(text: str | None) -> tuple[float | int | None, str | None]:
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        return _to_number(text), None
    except ValueError:
        return None, "Enter the goal as a number, such as 80 or 12.5."


def _to_number(text: str) -> float | int:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def _format_point(point: dict) -> str:
    if "value" in point:
        return f"{point['date']}, {point['value']}"
    return f"{point['date']}, {point['numerator']}/{point['denominator']}"
