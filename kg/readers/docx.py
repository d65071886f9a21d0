"""Read a Word (.docx) file: paragraphs in order, headings as ``#`` lines, table cells.

A .docx file is a zip archive. Before python-docx opens it, the archive's directory is
checked against size caps, so that a zip bomb (a small file that unpacks to gigabytes)
is refused before anything is unpacked: Python's zipfile never inflates a member past
the size its directory declares, so the declared sizes bound the work.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.readers import MB, missing_library, size_mb

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

__all__ = ["MAX_MEMBERS", "MAX_UNPACKED_BYTES", "read_docx"]

#: The most a .docx file may unpack to, all members together.
MAX_UNPACKED_BYTES = 256 * MB
#: The most members its archive may have (a long report has a few hundred).
MAX_MEMBERS = 10_000
#: An OLE2 compound file: a Word 97–2003 .doc, or a password-protected .docx.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_HEADING_STYLE = re.compile(r"(?i)heading\s*([1-9])$")


def read_docx(path: Path, data: bytes) -> str:
    """Return a Word file's text: paragraphs, ``#`` headings and table cells, in order.

    Args:
        path: the file, named in errors.
        data: its bytes.

    Raises:
        InputError: python-docx is missing; the file is not a .docx archive, is
            encrypted, damaged, or would unpack past the caps.
    """
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise missing_library(path, "python-docx") from None
    _check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (ValueError, KeyError, PackageNotFoundError):
        raise InputError(path, "not a DOCX file (no Word document inside)") from None
    except Exception:  # lxml and zipfile errors of a damaged archive, of many kinds
        raise InputError(path, "damaged DOCX") from None
    try:
        return "\n\n".join(_blocks(document))
    except Exception:  # malformed XML structure met while walking the body
        raise InputError(path, "damaged DOCX") from None


def _check_archive(path: Path, data: bytes) -> None:
    """Refuse what is not a .docx archive, and archives that unpack past the caps."""
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise InputError(path, "encrypted DOCX")
        raise InputError(path, "not a DOCX file (a Word 97-2003 .doc file: save it as .docx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if data.startswith(b"PK\x03\x04"):
            raise InputError(path, "damaged DOCX (truncated or corrupt zip archive)") from None
        raise InputError(path, "not a DOCX file") from None
    if len(members) > MAX_MEMBERS:
        raise InputError(path, f"zip bomb: {len(members)} members (limit {MAX_MEMBERS})")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        limit = size_mb(MAX_UNPACKED_BYTES)
        raise InputError(path, f"zip bomb: unpacks to {size_mb(unpacked)} MB (limit {limit} MB)")


def _blocks(document: WordDocument) -> list[str]:
    """Return the body's paragraphs and table cells' paragraphs in document order."""
    from docx.table import Table

    blocks: list[str] = []
    stack: list[object] = list(reversed(list(document.iter_inner_content())))
    seen: set[object] = set()  # cell elements (kept alive, so compared by identity)
    while stack:
        item = stack.pop()
        if isinstance(item, Table):
            inner: list[object] = []
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell is listed once per column
                        seen.add(cell._tc)
                        inner.extend(cell.iter_inner_content())
            stack.extend(reversed(inner))
        else:
            text = _paragraph_text(item)  # type: ignore[arg-type]
            if text.strip():
                blocks.append(text)
    return blocks


def _paragraph_text(paragraph: Paragraph) -> str:
    level = _heading_level(paragraph)
    if level:
        return "#" * level + " " + " ".join(paragraph.text.split())
    return paragraph.text


def _heading_level(paragraph: Paragraph) -> int:
    """Return 1–6 for a heading (by style name or outline level), 0 for body text."""
    style = paragraph.style
    name = style.name if style is not None else ""
    if name == "Title":
        return 1
    match = _HEADING_STYLE.match(name or "")
    if match:
        return min(int(match.group(1)), 6)
    elements = [paragraph._p]
    while style is not None:  # the outline level may come from the style or its bases
        elements.append(style.element)
        style = style.base_style
    for element in elements:
        found = element.xpath("./w:pPr/w:outlineLvl/@w:val")
        if found and str(found[0]).isdigit() and int(found[0]) < 9:
            return min(int(found[0]) + 1, 6)
    return 0
