"""Read document files into ``Document`` records: find, decode, clean.

A reader is registered per file suffix and turns a file's bytes into text; every
reader's text then goes through the same cleaning (line ends, byte-order marks,
control and zero-width characters), so ``Document.text`` is exactly the text shown
as evidence and every offset of the later stages indexes it. Plain text is decoded
in a fixed order (byte-order mark, strict UTF-8, strict GB18030) and refused
rather than turned into mojibake.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from kg.config import Settings
from kg.errors import InputError
from kg.model import Document

__all__ = [
    "Reader",
    "clean_text",
    "decode",
    "find_documents",
    "read_document",
    "read_documents",
    "register_reader",
]

#: Turns a file's bytes into text; raises ``InputError`` naming the file.
Reader = Callable[[Path, bytes], str]

_READERS: dict[str, Reader] = {}

_UNDECODABLE = "cannot decode: not UTF-8, UTF-16 or GB18030"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Below this share of printable characters a decoded file is taken for binary.
_MIN_PRINTABLE = 0.9
_SAMPLE = 65_536
_TEXTLIKE = {"Cf", "Zl", "Zp", "Zs"}
#: Page and line separators become line ends; C0/C1 controls (but tab and line
#: end), byte-order marks, zero-width and bidirectional marks disappear.
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TITLE_MARKUP = re.compile(r"^[#>*\s]+|\*\*|[*\s]+$")
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


def decode(data: bytes, path: Path | str = "<bytes>") -> str:
    """Decode a text file's bytes: byte-order mark, strict UTF-8, strict GB18030.

    Args:
        data: the file's bytes.
        path: the file, named in errors.

    Returns:
        The decoded text, without its byte-order mark.

    Raises:
        InputError: the file is empty, binary, or in none of those encodings.

    >>> decode("规划纲要".encode("gb18030"))
    '规划纲要'
    """
    if not data:
        raise InputError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding, path)
            break
    else:
        if b"\x00" in data:
            raise InputError(path, "binary file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _strict(data, "gb18030", path)
    if not _looks_printable(text):
        raise InputError(path, "binary file")
    return text


def _strict(data: bytes, encoding: str, path: Path | str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(path, _UNDECODABLE) from None


def _looks_printable(text: str) -> bool:
    sample = text[:_SAMPLE]
    if not sample:
        return True
    # Invisible characters that cleaning removes (zero-width, separators) are text.
    printable = sum(
        1
        for c in sample
        if c.isprintable() or c in "\n\r\t\x0b\x0c" or unicodedata.category(c) in _TEXTLIKE
    )
    return printable >= _MIN_PRINTABLE * len(sample)


def clean_text(text: str) -> str:
    r"""Normalise line ends to ``\n`` and drop control, zero-width and BOM characters.

    >>> clean_text("规\u200b划\r\n\ufeff纲要\r")
    '规划\n纲要\n'
    """
    return _INVISIBLE.sub("", _BREAKS.sub("\n", text))


def _read_plain(path: Path, data: bytes) -> str:
    return decode(data, path)


register_reader((".txt", ".md", ".markdown"), _read_plain)


def read_document(path: Path, root: Path) -> Document:
    """Read one file into a ``Document`` (no sections or sentences yet).

    Args:
        path: the file.
        root: the folder it was found under; the id is the path relative to it.

    Returns:
        The document: id, path, title, cleaned text and the sha256 of its bytes.

    Raises:
        InputError: the file cannot be read, has no reader, or is empty, binary
            or undecodable.
    """
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        choices = ", ".join(sorted(_READERS))
        raise InputError(path, f"unsupported file type '{path.suffix}'; choose {choices}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
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


def _document_id(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root)
    except ValueError:
        return path.name
    return relative.as_posix() if relative.parts else path.name


def _title(text: str, limit: int = 100) -> str:
    """Return the first heading or line of Chinese text, without markup or quotes.

    Other lines before it (pinyin or English cover lines, page marks) are skipped;
    a long line is cut at its first sentence end.
    """
    fallback = ""
    for raw in text.split("\n", 200)[:200]:
        line = _TITLE_MARKUP.sub("", _PAGE_MARK.sub("", raw)).strip(_TITLE_QUOTES + " \t")
        if line and (raw.startswith("#") or len(_CJK.findall(line[:limit])) >= 2):
            end = _SENTENCE_END.search(line)
            line = line[: end.start()] if end and end.start() > 0 else line
            return line[:limit].strip(_TITLE_QUOTES + " \t")
        fallback = fallback or line[:limit]
    return fallback


def find_documents(inputs: Sequence[Path], suffixes: Iterable[str]) -> Iterator[tuple[Path, Path]]:
    """Yield each document file under the inputs with the folder it was found under.

    Folders are searched recursively, in sorted order, skipping hidden files and
    folders, README files and files with other suffixes; a file given directly is yielded as is
    (its root is its folder) so that reading it can say what is wrong with it.
    The same file is yielded once.

    Args:
        inputs: files and folders.
        suffixes: file name endings to read (``".txt"``), any case.

    Yields:
        ``(file, root)`` pairs.

    Raises:
        InputError: an input does not exist.
    """
    wanted = {s.lower() for s in suffixes}
    seen: set[Path] = set()
    for given in inputs:
        found: list[tuple[Path, Path]]
        if given.is_dir():
            found = [(f, given) for f in _walk(given, wanted)]
        elif given.exists():
            found = [(given, given.parent)]
        else:
            raise InputError(given, "no such file or folder")
        for path, root in found:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield path, root


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
            yield read_document(path, root)
        except InputError as error:
            yield error
