"""The text and tables inside an accepted file, for the search index and the identifier check.

`extract(data, file_type)` reads every sheet (hidden ones too), every table, and all the prose
of a file whose type `filetypes.detect` decided. A damaged file, or one too large to read
whole, raises UnreadableFile with a message for the person uploading, never anything else.
"""

from collections.abc import Callable

from registry.tools.contents import Budget, Extracted, Passage, Table, UnreadableFile
from registry.tools.documents import read_docx, read_pdf, read_pptx, read_text
from registry.tools.filetypes import FileType
from registry.tools.opendocument import read_ods, read_odt
from registry.tools.spreadsheets import read_csv, read_xls, read_xlsx

__all__ = ["Extracted", "Passage", "Table", "UnreadableFile", "extract"]

_BINARY_READERS: dict[str, Callable[[bytes, Budget], Extracted]] = {
    "xlsx": read_xlsx,
    "xls": read_xls,
    "ods": read_ods,
    "docx": read_docx,
    "odt": read_odt,
    "pptx": read_pptx,
    "pdf": read_pdf,
}
_TEXT_READERS: dict[str, Callable[[str, Budget], Extracted]] = {
    "csv": read_csv,
    "txt": read_text,
    "md": read_text,
}
_IMAGES = {"png", "jpg"}  # no text is read from images (there is no OCR)


def extract(data: bytes, file_type: FileType) -> Extracted:
    budget = Budget()
    try:
        if file_type.extension in _IMAGES:
            return Extracted([], [])
        if file_type.extension in _TEXT_READERS:
            text = data.decode(file_type.encoding or "utf-8")
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            return _TEXT_READERS[file_type.extension](text, budget)
        return _BINARY_READERS[file_type.extension](data, budget)
    except UnreadableFile:
        raise
    # Six libraries read damaged files here, and each fails in its own ways (KeyError, lxml
    # and zip errors, IndexError, RecursionError…). Whatever they raise, the person uploading
    # needs the same answer, and a server error would help no one.
    except Exception as error:
        raise UnreadableFile(
            f"This {file_type.label} could not be read: it may be damaged, or saved by a "
            "program we cannot read. Open it, save it again and upload the new copy."
        ) from error
