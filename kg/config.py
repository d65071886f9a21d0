"""Defaults in one place: paths, namespaces and limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_EVIDENCE", "ONTOLOGY_DIR", "Settings"]

#: The ontology, shapes and lexicons ship inside the package's source tree.
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"

#: Evidence sentences kept per fact in the entity network (the first by document).
MAX_EVIDENCE = 3


@dataclass(frozen=True)
class Settings:
    """Options of a build and of the readers of its output."""

    out_dir: Path = Path("output")
    ontology_dir: Path = ONTOLOGY_DIR
    #: file suffixes read by ``kg build``
    suffixes: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
    #: files larger than this are skipped unread (a 200 MB text would need GBs of offsets)
    max_file_mb: int = 64
    #: quads handed to the store per batch
    batch_size: int = 50_000
    #: nodes beyond which the overview view keeps only the strongest
    view_max_nodes: int = 2_000
