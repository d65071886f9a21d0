"""Errors that the CLI and the server translate into messages, never tracebacks.

KgError
├── InputError      a document or folder cannot be read (names the file)
├── QueryError      a SPARQL query is malformed or refused
├── OntologyError   the ontology, shapes or lexicons are broken
└── StoreError      no built graph where one is expected, or a build is locked
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["InputError", "KgError", "OntologyError", "QueryError", "StoreError"]


class KgError(Exception):
    """Base of every error the tool reports to its user."""

    exit_code = 1


class InputError(KgError):
    """A document cannot be read; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class QueryError(KgError):
    """A query is malformed, names an unknown prefix, or is refused."""

    exit_code = 2


class OntologyError(KgError):
    """The ontology, the shapes or a lexicon file is missing or malformed."""


class StoreError(KgError):
    """No graph has been built at a folder, or another build holds it."""
