"""Writing tools: attach, change (details and/or a new file version), remove; count downloads.

A file is checked whole before anything is stored: its type from its content, its text
extracted, and no patient identifier in it. Only then is it stored and its row committed, under
the file's lock, so a failure leaves neither an orphan file nor an orphan row.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import exists, select, update

from registry.accounts.models import User
from registry.database import begin_write
from registry.errors import Invalid, NotFound
from registry.extensions import db
from registry.privacy.identifiers import Finding
from registry.privacy.scan import described, scan_file
from registry.projects.models import Project
from registry.projects.permissions import Viewer
from registry.projects.services import get_editable, get_readable
from registry.search import services as search
from registry.timeutil import utcnow
from registry.tools import filetypes
from registry.tools.extract import UnreadableFile, extract
from registry.tools.models import Tool, ToolVersion
from registry.tools.rules import ToolDetails, check_details
from registry.tools.storage import BlobStore

# Enough of a tool's text to find it by; a 20 MB spreadsheet's every cell is not needed.
MAX_STORED_TEXT = 200_000
_LISTED_FINDINGS = 3
REPEAT_FILE_HINT = "Choose the file again: a browser does not keep a chosen file after an error."


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class _Checked:
    """An upload that passed every check, ready to store."""

    data: bytes
    filename: str
    file_type: filetypes.FileType
    text: str


def blob_store() -> BlobStore:
    return BlobStore(current_app.config["UPLOAD_DIR"])


def add_tool(actor: User, slug: str, details: ToolDetails, upload: Upload | None) -> Tool:
    get_editable(actor, slug)  # refuse before reading a file the actor may not attach
    details = details.cleaned()
    errors = check_details(details)
    checked = _check_file(upload, errors, required=True)
    if errors:
        raise Invalid(errors)

    def attach(project: Project, sha256: str) -> Tool:
        _refuse_duplicates(project, details, sha256, errors, replacing=None)
        tool = Tool(project=project, version=1)
        _apply(tool, details)
        db.session.add(tool)
        _add_version(tool, checked, sha256, actor)
        return tool

    return _write(actor, slug, attach, checked)


def change_tool(
    actor: User, slug: str, tool_id: int, details: ToolDetails, upload: Upload | None
) -> Tool:
    """New details, and a new version if a file came too; the old version stays in history."""
    get_tool(get_editable(actor, slug), tool_id)
    details = details.cleaned()
    errors = check_details(details)
    checked = _check_file(upload, errors, required=False)
    if errors:
        raise Invalid(errors)

    def change(project: Project, sha256: str | None) -> Tool:
        tool = get_tool(project, tool_id)
        _refuse_duplicates(project, details, sha256, errors, replacing=tool)
        _apply(tool, details)
        if sha256 is not None and sha256 != tool.current.sha256:
            tool.version += 1
            _add_version(tool, checked, sha256, actor)
        return tool

    return _write(actor, slug, change, checked)


def remove_tool(actor: User, slug: str, tool_id: int) -> Tool:
    """Take the tool off the write-up; its versions stay in the write-up's history."""

    def remove(project: Project, _sha256: None) -> Tool:
        tool = get_tool(project, tool_id)
        tool.removed_at = utcnow()
        tool.removed_by = actor
        return tool

    return _write(actor, slug, remove, None)


def get_tool(project: Project, tool_id: int, *, removed: bool = False) -> Tool:
    """The project's tool; a removed one only when asked for (history downloads)."""
    tool = db.session.get(Tool, tool_id)
    if tool is None or tool.project_id != project.id or (tool.removed_at and not removed):
        raise NotFound(f"tool {tool_id}")
    return tool


def download(viewer: Viewer, slug: str, tool_id: int, number: int | None = None) -> ToolVersion:
    """The version to send (the current one unless `number`), counting the download."""
    project = get_readable(viewer, slug)
    tool = get_tool(project, tool_id, removed=number is not None)
    version = next((v for v in tool.versions if v.number == (number or tool.version)), None)
    if version is None:
        raise NotFound(f"tool {tool_id} version {number}")
    begin_write()
    # In the database, so simultaneous downloads in several workers all count.
    db.session.execute(
        update(Tool).where(Tool.id == tool_id).values(download_count=Tool.download_count + 1)
    )
    db.session.commit()
    return version


def link_tools(actor: User, original: Project, copy: Project) -> None:
    """Give a reused write-up's copy the original's tools: same files, its own rows."""
    now = utcnow()
    for tool in original.tools:
        source = tool.current
        linked = Tool(project=copy, version=1, reused_from=tool, created_at=now, updated_at=now)
        _apply(linked, ToolDetails(tool.title, tool.kind, tool.description, tool.clinical_system))
        db.session.add(linked)
        db.session.add(
            ToolVersion(
                tool=linked, number=1, sha256=source.sha256, filename=source.filename,
                extension=source.extension, content_type=source.content_type,
                size=source.size, text=source.text, uploaded_by=actor, uploaded_at=now,
            )
        )


def _check_file(upload: Upload | None, errors: dict, required: bool) -> _Checked | None:
    """Type, text and identifiers, all before anything is stored; problems go in `errors`."""
    if upload is None or (not upload.filename and not upload.data):
        if required:
            errors["file"] = ["Choose a file to upload."]
        return None
    try:
        file_type = filetypes.detect(upload.data, upload.filename)
        extracted = extract(upload.data, file_type)
    except (filetypes.FileProblem, UnreadableFile) as error:
        errors["file"] = [str(error)]
        return None
    filename = filetypes.sanitise_filename(upload.filename, file_type.extension)
    findings = scan_file(extracted, filename)
    if findings:
        errors["file"] = _identifier_messages(findings)
        return None
    # PostgreSQL refuses NUL in text; it never helps a search.
    text = extracted.text.replace("\x00", " ")[:MAX_STORED_TEXT]
    return _Checked(upload.data, filename, file_type, text)


def _write(actor: User, slug: str, change, checked: _Checked | None) -> Tool:
    """Store the file (if any), apply `change`, commit once; undo both on any failure."""
    if checked is None:
        return _commit(actor, slug, change, None)
    with blob_store().storing(checked.data, is_referenced) as sha256:
        return _commit(actor, slug, change, sha256)


def _commit(actor: User, slug: str, change, sha256: str | None) -> Tool:
    try:
        begin_write()
        project = get_editable(actor, slug)
        # Tool changes to one write-up queue (PostgreSQL; SQLite's writes already do).
        db.session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
        tool = change(project, sha256)
        tool.updated_at = project.updated_at = utcnow()
        search.record_change(project)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    search.apply_pending()
    return tool


def _apply(tool: Tool, details: ToolDetails) -> None:
    tool.title = details.title
    tool.kind = details.kind
    tool.description = details.description
    tool.clinical_system = details.clinical_system


def _add_version(tool: Tool, checked: _Checked, sha256: str, actor: User) -> None:
    db.session.add(
        ToolVersion(
            tool=tool, number=tool.version, sha256=sha256, filename=checked.filename,
            extension=checked.file_type.extension, content_type=checked.file_type.content_type,
            size=len(checked.data), text=checked.text, uploaded_by=actor, uploaded_at=utcnow(),
        )
    )


def _refuse_duplicates(project, details, sha256, errors, replacing: Tool | None) -> None:
    """One title per write-up, and one copy of a file: a second is nearly always a slip."""
    for other in project.tools:
        if other is replacing:
            continue
        if other.title.casefold() == details.title.casefold():
            errors["title"] = [
                f"This write-up already has a tool called “{other.title}”. Choose another "
                "title, or change that tool to give it a new version."
            ]
        if sha256 is not None and other.current.sha256 == sha256:
            errors["file"] = [f"This write-up already has this file, as “{other.title}”."]
    if errors:
        raise Invalid(errors)


def is_referenced(sha256: str) -> bool:
    """Whether any version of any tool, removed ones included, uses this file."""
    return bool(db.session.scalar(select(exists().where(ToolVersion.sha256 == sha256))))


def _identifier_messages(findings: list[Finding]) -> list[str]:
    """Where each identifier is and what it looks like, masked; the first few, then a count."""
    messages = [
        f"{finding.where}: what looks like {described(finding)}."
        for finding in findings[:_LISTED_FINDINGS]
    ]
    if len(findings) > _LISTED_FINDINGS:
        messages.append(f"And {len(findings) - _LISTED_FINDINGS} more.")
    messages.append(
        "Tools must not identify patients: remove the identifiers and upload the file again. "
        "Nothing was saved."
    )
    return messages
