"""Read document files into ``Document`` records: find, decode, clean.

A reader is registered per file suffix and turns a file's bytes into text (the
readers live in ``kg.readers``: plain text and Markdown, HTML, .docx, PDF); every
reader's text then goes through the same cleaning (line ends, byte-order marks,
control and zero-width characters), so ``Document.text`` is exactly the text shown
as evidence and every offset of the later stages indexes it. Plain text is decoded
in a fixed order (byte-order mark, strict UTF-8, GB18030 or Big5, a detector) and
refused rather than turned into mojibake. A file larger than the size cap is refused
before it is read.

For matching, ``to_simplified`` and ``fold_width`` map a text one character for one
(traditional → simplified, full-width letters and digits → ASCII), so a match in the
mapped view has the offsets of the original text.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from kg.chars import HANZI, fold_width, looks_traditional, to_simplified
from kg.config import Settings
from kg.errors import InputError
from kg.model import Document
from kg.readers import MB, size_mb
from kg.readers.docx import read_docx
from kg.readers.html import read_html
from kg.readers.pdf import read_pdf
from kg.readers.text import decode

__all__ = [
    "MAX_FILE_BYTES",
    "Reader",
    "clean_text",
    "decode",
    "document_key",
    "find_documents",
    "fold_width",
    "looks_traditional",
    "read_document",
    "read_documents",
    "register_reader",
    "to_simplified",
]

#: Turns a file's bytes into text; raises ``InputError`` naming the file.
Reader = Callable[[Path, bytes], str]

_READERS: dict[str, Reader] = {}

#: Files above this size are refused unread. Reading costs about four times the file
#: size at its peak (bytes, text, cleaned text); segmenting and extracting cost more.
MAX_FILE_BYTES = 64 * MB
#: Page and line separators become line ends; C0/C1 controls (but tab and line
#: end), byte-order marks, zero-width and bidirectional marks disappear.
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_TITLE_MARKUP = re.compile(r"^[#>*\s]+|\*\*|[*\s]+$")
_MD_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_TITLE_QUOTES = "\"'“”‘’《》「」『』"
_PAGE_MARK = re.compile(r"【[^】\n]{0,12}】")
_SENTENCE_END = re.compile("[。！？!?；;]")


def register_reader(suffixes: Iterable[str], reader: Reader) -> None:
    """Read files with these suffixes (``".html"``) through ``reader`` from now on.

    Args:
        suffixes: file name endings, with the dot, any case.
        reader: turns ``(path, bytes)`` into text; raises ``InputError`` for a bad file.
    """
    for suffix in suffixes:
        _READERS[suffix.lower()] = reader


def clean_text(text: str) -> str:
    r"""Normalise line ends to ``\n`` and drop control, zero-width and BOM characters.

    >>> clean_text("规\u200b划\r\n\ufeff纲要\r")
    '规划\n纲要\n'
    """
    return _INVISIBLE.sub("", _BREAKS.sub("\n", text))


def _read_plain(path: Path, data: bytes) -> str:
    return decode(data, path)


register_reader((".txt", ".md", ".markdown"), _read_plain)
register_reader((".html", ".htm"), read_html)
register_reader((".docx",), read_docx)
register_reader((".pdf",), read_pdf)


def read_document(path: Path, root: Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one file into a ``Document`` (no sections or sentences yet).

    Args:
        path: the file.
        root: the folder it was found under; the id is the path relative to it.
        max_bytes: files larger than this are refused without being read.

    Returns:
        The document: id, path, title, cleaned text and the sha256 of its bytes.

    Raises:
        InputError: the file cannot be read, has no reader, is too large, or is
            empty, binary, undecodable, damaged or encrypted.
    """
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        choices = ", ".join(sorted(_READERS))
        raise InputError(path, f"unsupported file type '{path.suffix}'; choose {choices}")
    data = _read_bytes(path, max_bytes)
    if not data:
        raise InputError(path, "empty file")
    text = clean_text(reader(path, data))
    if not text.strip():
        raise InputError(path, "empty file")
    return Document(
        id=_document_id(path, root),
        path=path,
        title=_title(text) or path.stem,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def document_key(path: Path, root: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, str]:
    """Return the id ``read_document`` gives a file and the sha256 of its bytes.

    The file is read but not decoded: enough for a rebuild to tell that a document
    is the one the previous build read.

    Raises:
        InputError: the file cannot be read or is too large.
    """
    data = _read_bytes(path, max_bytes)
    return _document_id(path, root), hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a file; refuse it, unread, if it is larger."""
    try:
        size = path.stat().st_size
        if size <= limit:
            with path.open("rb") as file:
                # a read sized to the file: asking for ``limit`` bytes allocates them
                data = file.read(size + 1)
                if len(data) > size:  # it has grown since
                    data += file.read(limit + 1 - len(data))
            size = max(size, len(data))
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if size > limit:
        raise InputError(path, f"file too large ({size_mb(size)} MB; limit {size_mb(limit)} MB)")
    return data


def _document_id(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root)
    except ValueError:
        return path.name
    return relative.as_posix() if relative.parts else path.name


def _title(text: str, limit: int = 100) -> str:
    """Return the first heading or line of Chinese text, without markup or quotes.

    A Markdown heading (as the HTML and Word readers write them) comes first; else
    other lines before the first Chinese one (pinyin or English cover lines, page
    marks, a web page's navigation) are skipped. A long line is cut at its first
    sentence end.
    """
    fallback = ""
    lines = text.split("\n", 200)[:200]
    headings = [raw for raw in lines if _MD_HEADING.match(raw)][:1]
    for raw in headings + lines:
        line = _TITLE_MARKUP.sub("", _PAGE_MARK.sub("", raw)).strip(_TITLE_QUOTES + " \t")
        if line and (raw.startswith("#") or len(HANZI.findall(line[:limit])) >= 2):
            end = _SENTENCE_END.search(line)
            line = line[: end.start()] if end and end.start() > 0 else line
            return line[:limit].strip(_TITLE_QUOTES + " \t")
        fallback = fallback or line[:limit]
    return fallback


def find_documents(
    inputs: Sequence[Path], suffixes: Iterable[str], *, outside: Path | None = None
) -> Iterator[tuple[Path, Path]]:
    """Yield each document file under the inputs with the folder it was found under.

    Folders are searched recursively, in sorted order, skipping hidden files and
    folders, README files and files with other suffixes; a file given directly is yielded as is
    (its root is its folder) so that reading it can say what is wrong with it.
    The same file is yielded once.

    Args:
        inputs: files and folders.
        suffixes: file name endings to read (``".txt"``), any case.
        outside: a resolved folder (the output folder) whose files are left out, even
            where a link leads into it.

    Yields:
        ``(file, root)`` pairs.

    Raises:
        InputError: an input does not exist.
    """
    wanted = {s.lower() for s in suffixes}
    seen: set[Path] = set()
    folders: dict[Path, Path] = {}
    for given in inputs:
        found: list[tuple[Path, Path]]
        if given.is_dir():
            found = [(f, given) for f in _walk(given, wanted)]
        elif given.exists():
            found = [(given, given.parent)]
        else:
            raise InputError(given, "no such file or folder")
        for path, root in found:
            key = _resolved(path, folders)
            if key not in seen and not (outside and key.is_relative_to(outside)):
                seen.add(key)
                yield path, root


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """Return ``path.resolve()``, resolving each folder once (in ``folders``): a corpus is
    thousands of files in a few folders (1,000 files: 23 ms instead of 50 ms)."""
    if path.is_symlink():
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name


def _walk(root: Path, suffixes: set[str]) -> list[Path]:
    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(folder)
        for name in files:
            # a folder's README describes the folder; it is not one of its documents
            if name.startswith(".") or os.path.splitext(name)[0].upper() == "README":
                continue
            if os.path.splitext(name)[1].lower() in suffixes:
                path = base / name
                found.append((path.relative_to(root).parts, path))
    return [path for _, path in sorted(found)]


def read_documents(inputs: Sequence[Path], settings: Settings) -> Iterator[Document | InputError]:
    """Yield a ``Document`` for each file found under the inputs, or the error for it.

    A bad file (or a missing input) is yielded as its ``InputError`` instead of
    raised, so a caller can report it and go on with the next.

    Args:
        inputs: files and folders.
        settings: ``settings.suffixes`` says which files to read in folders.

    Yields:
        Documents in sorted order, with ``InputError`` values among them.
    """
    existing = []
    for given in inputs:
        if given.exists():
            existing.append(given)
        else:
            yield InputError(given, "no such file or folder")
    for path, root in find_documents(existing, settings.suffixes):
        try:
            yield read_document(path, root, settings.max_file_mb * 2**20)
        except InputError as error:
            yield error
