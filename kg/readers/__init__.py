"""Format readers: turn one file's bytes into text, guarded against bad and hostile files.

Each module reads one kind of file and imports its one third-party library lazily,
inside the reader, so that a missing optional library costs only the files that need
it:

    text   plain text and Markdown: byte-order mark, UTF-8, GB18030 or Big5, a detector
    html   visible text of HTML pages, headings as Markdown ``#`` lines (beautifulsoup4)
    docx   Word paragraphs, headings and table cells (python-docx), zip-bomb guarded
    pdf    the text layer of PDF pages without running headers and footers (pypdf)
    chars  one-to-one character maps for matching: traditional → simplified, full width

``kg.ingest`` registers the readers by suffix and re-exports the public functions.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError

__all__ = ["MB", "missing_library", "size_mb"]

#: The unit of the size limits and of the messages about them.
MB = 1 << 20

#: The optional extra that installs every format library.
_EXTRA = "policy-kg[formats]"


def missing_library(path: Path | str, package: str) -> InputError:
    """Return the error for a file whose reader needs a library that is not installed.

    >>> str(missing_library("a/b.docx", "python-docx"))
    "a/b.docx: reading .docx needs python-docx: pip install 'policy-kg[formats]'"
    """
    suffix = Path(path).suffix.lower()
    return InputError(path, f"reading {suffix} needs {package}: pip install '{_EXTRA}'")


def size_mb(size: int) -> str:
    """Format a byte count in MB for a message.

    >>> size_mb(3 * MB // 2), size_mb(200 * MB)
    ('1.5', '200')
    """
    value = size / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
