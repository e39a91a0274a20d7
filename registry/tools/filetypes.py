"""What an uploaded file really is, decided from its content, and a safe name to keep it under.

The content decides: magic bytes, the entries of a zip container (the main part's content
type in OOXML's [Content_Types].xml, ODF's `mimetype` entry) and the streams of an OLE2
container. A browser's claimed type is never read, and the name's extension only chooses
between kinds the content fits equally: plain text may be .csv, .md or .txt.

We do not use the `filetype` package: the five binary signatures we read are fixed prefixes,
its Office checks read only the first entries' local headers (so they miss files whose zip
entries come in another order), and the container inspection below is needed either way.
"""

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, replace
from xml.etree.ElementTree import ParseError

import olefile
from defusedxml.ElementTree import fromstring

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
# Ordinary Office files compress 5 to 20 times, so 200 MB unpacked covers any honest 20 MB
# upload; beyond it the parsing alone would tie up a worker.
MAX_UNPACKED_BYTES = 200 * MB
# A large workbook has a few hundred parts (sheets, images, charts); ten thousand is no document.
MAX_ENTRIES = 10_000
# Honest files stay under about 50 to 1 (a sheet of empty styled rows); archives built to
# exhaust a server reach thousands to 1. Below 10 MB unpacked the ratio harms nothing.
MAX_RATIO = 100
RATIO_APPLIES_FROM = 10 * MB

ACCEPTED = ("xlsx", "xls", "ods", "csv", "docx", "odt", "pdf", "pptx", "txt", "md", "png", "jpg")
ACCEPTED_MESSAGE = (
    "You can upload spreadsheets (.xlsx, .xls, .ods, .csv), documents (.docx, .odt, .pdf, "
    ".txt, .md), slides (.pptx) and images (.png, .jpg)."
)


@dataclass(frozen=True)
class FileType:
    extension: str  # canonical, one of ACCEPTED
    content_type: str  # what to serve it as (always as an attachment)
    label: str  # for people: "Excel spreadsheet"
    encoding: str | None = None  # text kinds: the codec their bytes decode with


_TYPES = {
    ft.extension: ft
    for ft in (
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "Excel spreadsheet"),
        FileType("xls", "application/vnd.ms-excel", "Excel 97–2003 spreadsheet"),
        FileType("ods", "application/vnd.oasis.opendocument.spreadsheet",
                 "OpenDocument spreadsheet"),
        FileType("csv", "text/csv", "CSV file"),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "Word document"),
        FileType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text"),
        FileType("pdf", "application/pdf", "PDF"),
        FileType("pptx",
                 "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                 "PowerPoint presentation"),
        FileType("txt", "text/plain", "text file"),
        FileType("md", "text/markdown", "Markdown file"),
        FileType("png", "image/png", "PNG image"),
        FileType("jpg", "image/jpeg", "JPEG image"),
    )
}
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"%PDF-": "pdf"}
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_MAIN = "application/vnd.openxmlformats-officedocument.{}.main+xml"
_OOXML_TYPES = {
    _OOXML_MAIN.format("wordprocessingml.document"): "docx",
    _OOXML_MAIN.format("spreadsheetml.sheet"): "xlsx",
    _OOXML_MAIN.format("presentationml.presentation"): "pptx",
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
}
_TEXT_KINDS = {"csv": "csv", "md": "md", "markdown": "md"}  # any other name: txt
_CHARSETS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "utf-16": "utf-16", "cp1252": "windows-1252"}
# Control characters other than tab, line breaks and form feed: binary, not text.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")
# What a browser sniffing the content would take for HTML or XML (the WHATWG MIME sniffing
# patterns), and SVG. Tools are served as attachments with nosniff, so this is a second line:
# such content is never a QI tool, so refusing it costs nothing and closes any gap in serving.
_MARKUP = re.compile(
    r"\s*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br"
    r"|p|svg)[\s>/]|\s*<(?:!--|\?xml)",
    re.IGNORECASE,
)
_WINDOWS_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])", re.IGNORECASE)
_NOT_IN_NAMES = re.compile(r'[<>:"|?*]')  # refused by Windows, or special to shells
_KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}  # joiners some scripts and emoji need
MAX_NAME_BYTES = 150


class FileProblem(Exception):
    """Why an upload was refused; str(error) is the message for the person uploading."""


class UnsupportedFile(FileProblem):
    pass


class EmptyFile(FileProblem):
    pass


class UnsafeArchive(FileProblem):
    pass


def detect(data: bytes, filename: str) -> FileType:
    """The file's type from its content; raise a FileProblem for anything not accepted."""
    shown = _shown_name(filename)
    if not data:
        raise EmptyFile(f"“{shown}” is empty: there is nothing in it to share.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnsupportedFile(
            f"“{shown}” is larger than {MAX_UPLOAD_BYTES // MB} MB. Upload a smaller file."
        )
    for signature, extension in _SIGNATURES.items():
        if data.startswith(signature):
            return _TYPES[extension]
    if data.startswith(_ZIP):
        return _zip_type(data, shown)
    if data.startswith(_OLE2):
        return _ole_type(data, shown)
    return _text_type(data, filename, shown)


def sanitise_filename(name: str, extension: str) -> str:
    """A name safe on any disk and in a download header, ending in `.extension`.

    werkzeug's secure_filename is not used: it drops every non-ASCII letter ("Übersicht" would
    become "bersicht"), and many names here are in Gaelic, Polish or other scripts.
    """
    base = unicodedata.normalize("NFC", _base_name(name))
    base = "".join(
        ch for ch in base
        if not unicodedata.category(ch).startswith("C") or ch in _KEPT_FORMAT_CHARACTERS
    )
    base = " ".join(_NOT_IN_NAMES.sub("_", base).split())
    stem, dot, suffix = base.rpartition(".")
    if dot and suffix.lower() in {*ACCEPTED, "jpeg", "markdown"}:
        base = stem
    base = base.strip(" .-")
    if _WINDOWS_RESERVED.fullmatch(base.split(".")[0].strip()):
        base = "_" + base
    limit = MAX_NAME_BYTES - len(extension) - 1
    base = base.encode("utf-8")[:limit].decode("utf-8", "ignore").rstrip(" .")
    return f"{base or 'tool'}.{extension}"


def _zip_type(data: bytes, shown: str) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_unpacked_size(entries, shown)
            names = {entry.filename: entry for entry in entries}
            if "mimetype" in names:
                return _odf_type(_small_entry(archive, names["mimetype"]), shown)
            if "[Content_Types].xml" in names:
                return _ooxml_type(_small_entry(archive, names["[Content_Types].xml"]), shown)
    # ValueError covers defusedxml's refusals; RuntimeError an entry encrypted with a password.
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError,
            NotImplementedError, ParseError):
        raise UnsafeArchive(_damaged(shown)) from None
    raise UnsupportedFile(
        f"“{shown}” is a zip archive. Upload the files inside it one at a time. "
        + ACCEPTED_MESSAGE
    )


def _check_unpacked_size(entries: list[zipfile.ZipInfo], shown: str) -> None:
    # zipfile never unpacks more than an entry's declared size, so the declared sizes bound the
    # work of every library that reads the archive afterwards.
    if len(entries) > MAX_ENTRIES:
        raise UnsafeArchive(
            f"“{shown}” holds {len(entries):,} files inside it, more than a real document "
            f"does (at most {MAX_ENTRIES:,}), so it was not opened."
        )
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnsafeArchive(
            f"“{shown}” unpacks to {unpacked // MB:,} MB, more than we can check "
            f"({MAX_UNPACKED_BYTES // MB} MB). Split it into smaller files."
        )
    if unpacked > RATIO_APPLIES_FROM and unpacked > MAX_RATIO * max(packed, 1):
        raise UnsafeArchive(
            f"“{shown}” is compressed more than {MAX_RATIO} to 1, as archives built to "
            "overload a server are, so it was not opened. Save it again and upload the new copy."
        )


def _small_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    if entry.file_size > MB:  # a type marker is a few hundred bytes
        raise ValueError(f"{entry.filename} is {entry.file_size} bytes")
    return archive.read(entry)


def _odf_type(mimetype: bytes, shown: str) -> FileType:
    extension = _ODF_TYPES.get(mimetype.decode("ascii", "replace").strip())
    if extension is None:
        raise UnsupportedFile(
            f"“{shown}” is an OpenDocument file of a kind not accepted here. {ACCEPTED_MESSAGE}"
        )
    return _TYPES[extension]


def _ooxml_type(content_types: bytes, shown: str) -> FileType:
    declared = {
        element.get("ContentType", "")
        for element in fromstring(content_types)
        if element.tag.endswith("}Override")
    }
    found = {_OOXML_TYPES[kind] for kind in declared if kind in _OOXML_TYPES}
    if len(found) == 1:
        return _TYPES[found.pop()]
    if any("macroEnabled" in kind for kind in declared):
        raise UnsupportedFile(
            f"“{shown}” contains macros, which could run on other people’s computers. "
            "Save it as an ordinary .xlsx, .docx or .pptx file without macros and upload that."
        )
    raise UnsupportedFile(
        f"“{shown}” is an Office file of a kind not accepted here (a template or slide show, "
        f"for example). Save it as an ordinary .xlsx, .docx or .pptx file. {ACCEPTED_MESSAGE}"
    )


def _ole_type(data: bytes, shown: str) -> FileType:
    try:
        with olefile.OleFileIO(data) as container:
            streams = {stream for stream in ("Workbook", "Book", "EncryptedPackage",
                                              "WordDocument", "PowerPoint Document")
                       if container.exists(stream)}
    except Exception:  # olefile raises assorted errors on damaged files
        raise UnsupportedFile(_damaged(shown)) from None
    if streams & {"Workbook", "Book"}:
        return _TYPES["xls"]
    if "EncryptedPackage" in streams:
        raise UnsupportedFile(
            f"“{shown}” is protected by a password, so nobody else could open it and we cannot "
            "check it for patient identifiers. Remove the password and upload it again."
        )
    older = {"WordDocument": ".doc", "PowerPoint Document": ".ppt"}
    for stream, extension in older.items():
        if stream in streams:
            raise UnsupportedFile(
                f"“{shown}” is an old-style {extension} file. Save it in the newer format "
                f"({extension}x) and upload that."
            )
    raise UnsupportedFile(f"“{shown}” is not a file we accept. {ACCEPTED_MESSAGE}")


def _text_type(data: bytes, filename: str, shown: str) -> FileType:
    decoded = _decode(data)
    if decoded is None:
        raise UnsupportedFile(f"“{shown}” is not a file we accept. {ACCEPTED_MESSAGE}")
    text, encoding = decoded
    if not text.strip():
        raise EmptyFile(f"“{shown}” is empty: there is nothing in it to share.")
    if _MARKUP.match(text[:1024]):
        raise UnsupportedFile(
            f"“{shown}” is a web page or other markup (HTML, SVG or XML), which can run code "
            f"in a browser. Save it as a PDF or Word document instead. {ACCEPTED_MESSAGE}"
        )
    name = _base_name(filename)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    file_type = _TYPES[_TEXT_KINDS.get(extension, "txt")]
    return replace(
        file_type,
        content_type=f"{file_type.content_type}; charset={_CHARSETS[encoding]}",
        encoding=encoding,
    )


def _decode(data: bytes) -> tuple[str, str] | None:
    """Text and its codec: UTF-8 (with or without a byte-order mark), UTF-16 with one (Excel's
    "Unicode text"), else Windows-1252 (older Windows exports); None for anything binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if _BINARY.search(text) else (text, encoding)
    return None


def _damaged(shown: str) -> str:
    return (
        f"“{shown}” is damaged: it could not be opened. Save it again and upload the new copy."
    )


def _shown_name(filename: str) -> str:
    """The uploaded name as the person knows it, for messages (templates escape it)."""
    name = _base_name(filename).strip() or "unnamed file"
    return name if len(name) <= 80 else name[:77] + "…"


def _base_name(filename: str) -> str:
    """The name without any folders, whichever separator the uploading computer uses."""
    return re.split(r"[/\\]", filename)[-1]
