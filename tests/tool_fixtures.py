"""Files and helpers for the tool tests: small real files of each kind, built here, fictional."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from registry.extensions import db
from registry.tools.models import Tool, ToolVersion

AUDIT_SEARCH_CSV = (
    "Step,Rule,Notes\n"
    "1,Female aged 12 to 55,Population\n"
    "2,Issued sodium valproate in the last 6 months,EMIS search: VALP-PPP\n"
    "3,No Annual Risk Acknowledgement Form coded,Recall list\n"
).encode("utf-8")
LETTER_TXT = "Dear patient,\n\nPlease book a review of your epilepsy medicine.\n".encode("utf-8")


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A real PNG: signature, IHDR, one IDAT of grey pixels, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels))
            + chunk(b"IEND", b""))


def form(title: str = "Valproate audit search", kind: str = "audit-search",
         description: str = "Finds women 12–55 on valproate without a signed form.",
         clinical_system: str = "emis", file: tuple[bytes, str] | None = None) -> dict:
    """A tool form's fields; `file` is (content, filename)."""
    data = {"title": title, "kind": kind, "description": description,
            "clinical_system": clinical_system}
    if file is not None:
        content, filename = file
        data["file"] = FileStorage(io.BytesIO(content), filename, content_type="text/plain")
    return data


def post_form(client, url: str, fields: dict):
    """POST as multipart, encoded in memory: the test client would spool a large body to a
    temporary file that nothing closes when the app refuses it unread (413)."""
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(client, slug: str, **fields):
    fields.setdefault("file", (AUDIT_SEARCH_CSV, "valproate-search.csv"))
    return post_form(client, f"/projects/{slug}/tools/new", form(**fields))


def tool_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Tool))


def version_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ToolVersion))


def stored_files(upload_dir: Path) -> list[Path]:
    """Every file in the store (not the lock files), temporary ones included."""
    if not upload_dir.exists():
        return []
    return sorted(p for p in upload_dir.rglob("*") if p.is_file() and ".locks" not in p.parts)


@pytest.fixture
def upload_dir(app) -> Path:
    return Path(app.config["UPLOAD_DIR"])


def fetch(client, url: str):
    """GET a download and close it (send_file streams from an open file)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response
