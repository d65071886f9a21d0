"""Read the text layer of a PDF: pages joined, running headers and footers dropped.

Chinese PDFs often have fonts without a ToUnicode map: their text layer comes out as
``(cid:123)`` codes or as letters of unrelated scripts. Such a file is refused as
"text layer unreadable" rather than read into garbage; a file without any text (scanned
pages) is refused too. pypdf's own caps stop streams that inflate past 75 MB; the page
count is capped here.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import InputError
from kg.readers import missing_library

__all__ = ["MAX_PAGES", "read_pdf"]

#: The most pages read from one PDF.
MAX_PAGES = 5_000
#: A text layer with less than this share of readable characters is garbage.
_MIN_READABLE = 0.6
#: A line among the first or last ``_EDGE`` lines of a page may be a header or footer ...
_EDGE = 3
#: ... and is one if it recurs, numbers aside, on more than this share of the pages.
_RECURRING = 0.5
_MIN_PAGES = 3
_CID = re.compile(r"\(cid:\d+\)")
_DIGITS = re.compile(r"\d+")
_READABLE = re.compile(
    "[0-9A-Za-z\u00c0-\u00ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    "\u2010-\u2027!-/:-@\\[-`{-~]"
)


def read_pdf(path: Path, data: bytes) -> str:
    """Return a PDF's text layer, pages joined, without running headers and footers.

    Args:
        path: the file, named in errors.
        data: its bytes.

    Raises:
        InputError: pypdf is missing; the file is not a PDF, is damaged, encrypted,
            too long, has no text layer or an unreadable one.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, LimitReachedError
    except ImportError:
        raise missing_library(path, "pypdf") from None
    if b"%PDF-" not in data[:1024]:
        raise InputError(path, "not a PDF file")
    try:
        with _quiet():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(path, "encrypted PDF")
            count = len(reader.pages)
            if count > MAX_PAGES:
                raise InputError(path, f"too many pages ({count}; limit {MAX_PAGES})")
            pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except DependencyError:  # AES without the cryptography package
        raise InputError(path, "encrypted PDF") from None
    except LimitReachedError:
        raise InputError(path, "decompression bomb: a stream inflates past pypdf's cap") from None
    except Exception:  # pypdf raises many kinds on damaged files; none is worth a traceback
        raise InputError(path, "damaged PDF") from None
    return _checked(path, "\n".join(page.rstrip("\n") for page in _without_running_lines(pages)))


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence pypdf's warnings and log lines about the file's flaws while reading."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _checked(path: Path, text: str) -> str:
    """Refuse a text layer that is absent or reads as garbage."""
    visible = "".join(text.split())
    if not visible:
        raise InputError(path, "no text layer (scanned pages?)")
    readable = len(_READABLE.findall(_CID.sub("", visible)))  # (cid:…) codes are not
    if readable < _MIN_READABLE * len(visible):
        raise InputError(path, "text layer unreadable")
    return text


def _without_running_lines(pages: list[str]) -> list[str]:
    """Drop lines that recur at the top or bottom of most pages (numbers aside)."""
    if len(pages) < _MIN_PAGES:
        return pages
    split = [page.split("\n") for page in pages]
    edges = [_edges(lines) for lines in split]
    counts: Counter[str] = Counter()
    for lines, at in zip(split, edges, strict=True):
        counts.update({_key(lines[i]) for i in at})
    running = {key for key, n in counts.items() if n > _RECURRING * len(pages)}
    kept = []
    for lines, at in zip(split, edges, strict=True):
        drop = {i for i in at if _key(lines[i]) in running}
        kept.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return kept


def _edges(lines: list[str]) -> set[int]:
    """Return the indices of a page's first and last few non-blank lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:_EDGE] + filled[_EDGE:][-_EDGE:])


def _key(line: str) -> str:
    return _DIGITS.sub("#", "".join(line.split()))
