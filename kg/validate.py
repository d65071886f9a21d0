"""Check a built graph against the SHACL shapes of the ontology and report readably.

The graph is read from its N-Quads file and checked as one graph: the union of all
its named graphs, plus ``kg.ttl`` so that the shapes see the class hierarchy
(``kgo:Region rdfs:subClassOf kgo:Entity``). No inference is run: the shapes only
need ``rdfs:subClassOf`` chains, which SHACL follows by itself, and inference would
multiply the time taken. pyshacl runs with SHACL Advanced Features on, because the
checks that compare several nodes select their focus nodes with SPARQL targets
(see ``ontology/shapes.ttl`` for why).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import OWL, RDF, SH, XSD
from rdflib.term import Node

from kg.config import ONTOLOGY_DIR
from kg.errors import InputError, OntologyError
from kg.vocab import PREFIXES

__all__ = ["ONTOLOGY_FILE", "SHAPES_FILE", "Report", "Violation", "validate"]

#: The ontology and the shapes, by name inside the ontology folder.
ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"

# Literals longer than this are shortened in report lines (sentence texts run long).
_MAX_LITERAL = 40
_RDFLIB_NQUADS_WARNING = "Dataset.default_context is deprecated"


@dataclass(frozen=True, order=True)
class Violation:
    """One failed constraint, with every node written as a prefixed name.

    ``path`` and ``value`` are empty when the constraint concerns the focus node
    itself (for example an entity with two classes).
    """

    focus: str
    path: str
    value: str
    message: str
    severity: str
    shape: str

    def line(self) -> str:
        """Return the violation as one readable line.

        >>> Violation("kgr:Region/A", "rdfs:label", "", "no label", "Violation", "kgs:S").line()
        'Violation: kgr:Region/A rdfs:label: no label [kgs:S]'
        """
        subject = " ".join(part for part in (self.focus, self.path, self.value) if part)
        return f"{self.severity}: {subject}: {self.message} [{self.shape}]"


@dataclass(frozen=True)
class Report:
    """The outcome of validating a graph: whether it conforms, and why not."""

    conforms: bool
    violations: tuple[Violation, ...] = ()
    #: triples checked (the union of the named graphs, without the ontology)
    triples: int = 0

    def lines(self) -> tuple[str, ...]:
        """Return one readable line per violation, in a stable order."""
        return tuple(v.line() for v in self.violations)

    def format(self) -> str:
        """Return a summary line followed by one line per violation.

        >>> print(Report(True, (), 1200).format())
        conforms: 1,200 triples checked, no violations
        """
        if self.conforms:
            head = f"conforms: {self.triples:,} triples checked, no violations"
        else:
            count = len(self.violations)
            noun = "violation" if count == 1 else "violations"
            head = f"does not conform: {count:,} {noun} in {self.triples:,} triples"
        return "\n".join((head, *self.lines()))


def validate(graph_nq: Path, ontology_dir: Path = ONTOLOGY_DIR) -> Report:
    """Validate an N-Quads graph against ``shapes.ttl``.

    Args:
        graph_nq: the graph as N-Quads, e.g. ``output/graph.nq``.
        ontology_dir: the folder holding ``kg.ttl`` and ``shapes.ttl``.

    Returns:
        The report; ``report.format()`` is the text ``kg validate`` prints.

    Raises:
        OntologyError: ``kg.ttl`` or ``shapes.ttl`` is missing or malformed.
        InputError: ``graph_nq`` cannot be read or is not N-Quads.

    >>> validate(Path("no-such-graph.nq"))
    Traceback (most recent call last):
    kg.errors.InputError: no-such-graph.nq: cannot be read (No such file or directory)
    """
    ontology_path = Path(ontology_dir) / ONTOLOGY_FILE
    shapes_path = Path(ontology_dir) / SHAPES_FILE
    ontology = _load_turtle(ontology_path, OWL.Ontology)
    shapes = _load_turtle(shapes_path, SH.NodeShape)
    data = _load_union(Path(graph_nq))
    triples = len(data)
    data += ontology
    try:
        conforms, results, text = shacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=True, inplace=True
        )
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as exc:
        raise OntologyError(f"{shapes_path}: {exc}") from exc
    if not isinstance(results, Graph):  # pyshacl reports broken shapes this way
        raise OntologyError(f"{shapes_path}: {text.strip()}")
    names = _prefixes(shapes)
    violations = sorted(_violations(results, shapes, names))
    return Report(bool(conforms), tuple(violations), triples)


def _load_turtle(path: Path, required_type: URIRef) -> Graph:
    graph = Graph()
    try:
        with path.open("rb") as file:
            graph.parse(file=file, format="turtle")
    except OSError as exc:
        raise OntologyError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (ParserError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
        raise OntologyError(f"{path}: not valid Turtle: {exc}") from exc
    if (None, RDF.type, required_type) not in graph:
        raise OntologyError(f"{path}: declares no {required_type.n3(graph.namespace_manager)}")
    return graph


def _load_union(path: Path) -> Graph:
    """Read N-Quads and return the union of all its graphs as one graph."""
    dataset = Dataset()
    try:
        with path.open("rb") as file, warnings.catch_warnings():
            # rdflib's own N-Quads parser uses a property it has deprecated
            warnings.filterwarnings("ignore", _RDFLIB_NQUADS_WARNING, DeprecationWarning)
            dataset.parse(file=file, format="nquads")
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    except (ParserError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(path, f"not N-Quads: {exc}") from exc
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _violations(results: Graph, shapes: Graph, names: Mapping[str, str]) -> Iterator[Violation]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        yield Violation(
            focus=_show(focus, names),
            path=_show(results.value(result, SH.resultPath), names),
            # node-level constraints give the focus node as the value: say it once
            value="" if value == focus else _show(value, names),
            message="; ".join(messages) or "constraint not met",
            severity=_show(results.value(result, SH.resultSeverity), {"": str(SH)}),
            shape=_show(_named_shape(shapes, shape), names),
        )


def _named_shape(shapes: Graph, shape: Node | None) -> Node | None:
    """Return the shape, or for an anonymous property shape the node shape holding it."""
    while isinstance(shape, BNode):
        parent = shapes.value(predicate=SH.property, object=shape)
        if parent is None:
            return shape
        shape = parent
    return shape


def _prefixes(shapes: Graph) -> dict[str, str]:
    names = {prefix: str(iri) for prefix, iri in shapes.namespaces() if prefix}
    names.update(PREFIXES)
    return names


def _show(term: Node | None, names: Mapping[str, str]) -> str:
    """Write a term for a reader: a prefixed name, a short literal, or ``[]``."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "[]"
    if isinstance(term, Literal):
        return _show_literal(term, names)
    iri = str(term)
    matches = [(len(ns), prefix) for prefix, ns in names.items() if iri.startswith(ns)]
    if not matches:
        return f"<{iri}>"
    length, prefix = max(matches)
    return f"{prefix}:{iri[length:]}" if prefix else iri[length:]


def _show_literal(term: Literal, names: Mapping[str, str]) -> str:
    text = str(term)
    if len(text) > _MAX_LITERAL:
        text = text[: _MAX_LITERAL - 1] + "…"
    text = '"' + text.replace("\n", "\\n").replace('"', '\\"') + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^{_show(term.datatype, names)}"
    return text
