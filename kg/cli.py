"""The ``kg`` command: build a graph, query it, export it, count it, validate it.

Each command parses its options, calls one library function and prints the result.
Errors are translated here and only here: a ``KgError`` becomes ``error: <message>``
on stderr and the error's exit code (1, or 2 for a bad query or when nothing could
be built), never a traceback unless ``--debug`` is given. Heavy modules are imported
inside the commands that need them, so ``kg query`` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.errors import KgError, StoreError

__all__ = ["cli", "main"]

_GRAPH = click.option(
    "-g",
    "--graph",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Output folder of a build.",
)


_F = TypeVar("_F", bound=Callable[..., Any])
#: a number of things (hops, rows, processes): at least one
_COUNT = click.IntRange(min=1)
#: a time limit: more than nothing
_SECONDS = click.FloatRange(min=0, min_open=True)


def _graph_or_url(text: str) -> Callable[[_F], _F]:
    """Return the ``-g`` option of a command that also reads a SPARQL endpoint."""
    return click.option(
        "-g", "--graph", "folder", default="output", show_default=True, metavar="DIR|URL",
        help=text,
    )  # fmt: skip


class _Group(click.Group):
    """A group that reports the tool's errors as one line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.version_option(package_name="policy-kg")
def cli(debug: bool) -> None:
    """Build, query and export knowledge graphs of Chinese development-policy documents."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Output folder.",
)
@click.option("--strict", is_flag=True, help="Fail on any unreadable file instead of skipping.")
@click.option("--full", is_flag=True, help="Re-extract every document, changed or not.")
@click.option("--wait", is_flag=True, help="Wait for another build into --out to finish.")
@click.option("--store", metavar="URL", help="Then push the graph to this Graph Store endpoint.")
@click.option(
    "-j",
    "--jobs",
    type=_COUNT,
    default=1,
    show_default=True,
    help="Processes extracting documents (the graph is the same for any number).",
)
@click.option("--dask", metavar="ADDRESS", help="Extract on a Dask cluster (tcp://host:8786).")
def build(
    inputs: tuple[Path, ...],
    out: Path,
    strict: bool,
    full: bool,
    wait: bool,
    store: str | None,
    jobs: int,
    dask: str | None,
) -> None:
    """Build the graph of every document under INPUTS into --out.

    Writes OUT/store (SPARQL store), OUT/graph.nq and OUT/graph.html, replacing the
    previous ones only when the whole build succeeds.
    """
    from kg.config import Settings
    from kg.pipeline import build as build_graph

    def skipped(error: KgError) -> None:
        click.echo(f"skipped {error}", err=True)

    summary = build_graph(
        list(inputs),
        Settings(out_dir=out),
        strict=strict,
        full=full,
        wait=wait,
        jobs=jobs,
        dask=dask,
        on_skip=skipped,
        progress=_progress(),
    )
    click.echo("\n".join(summary.lines()))
    if store:
        _push(out, store, force=False, timeout=60.0, requests=1)


@cli.command()
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "path",
    type=click.File(encoding="utf-8"),
    help="Read the query from a file ('-' for stdin).",
)
@_graph_or_url("Output folder of a build, or the URL of a SPARQL endpoint.")
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    help="table, csv, tsv, json (SELECT/ASK); turtle, ntriples (CONSTRUCT/DESCRIBE).",
)
def query(sparql: str | None, path: Any, folder: str, fmt: str | None) -> None:
    """Run a SPARQL query over the graph (the query, -f FILE, or stdin).

    The prefixes kgo, kgr, rdf, rdfs, skos, prov, dcterms, xsd, owl and void are
    declared; the default graph is the union of all graphs.
    """
    from kg.query import run
    from kg.remote import is_url

    text = sparql if sparql is not None else (path or sys.stdin).read()
    click.echo(run(folder if is_url(folder) else Path(folder), text, fmt=fmt), nl=False)


@cli.command()
@_GRAPH
@click.option("--to", "url", required=True, metavar="URL", help="Graph Store endpoint.")
@click.option("--all", "force", is_flag=True, help="Send every graph, changed or not.")
@click.option(
    "--timeout", type=_SECONDS, default=60.0, show_default=True, help="Seconds a request may wait."
)
@click.option(
    "--requests", type=_COUNT, default=1, show_default=True, help="PUT requests in flight at once."
)
def push(folder: Path, url: str, force: bool, timeout: float, requests: int) -> None:
    """Push the graph to a SPARQL server: one PUT per named graph (Graph Store Protocol).

    Sends only the graphs that changed or failed since the last push to URL, e.g.
    http://host:8890/sparql-graph-crud-auth (Virtuoso) or http://host:3030/ds/data
    (Fuseki). Credentials: KG_STORE_USER and KG_STORE_PASSWORD, or a netrc file.
    """
    _push(folder, url, force=force, timeout=timeout, requests=requests)


def _push(folder: Path, url: str, *, force: bool, timeout: float, requests: int) -> None:
    from kg.remote import RemoteError
    from kg.remote.push import push as push_graph

    report = push_graph(folder, url, force=force, timeout=timeout, workers=requests)
    click.echo("\n".join(report.lines()))
    if report.failed:
        n = len(report.failed)
        raise RemoteError(f"{n} graph{'s' * (n > 1)} not pushed; push again to retry")


@cli.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    metavar="FORMAT",
    help="turtle, trig, nquads, jsonld, graphml or gexf.",
)
@_GRAPH
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: stdout).",
)
def export(fmt: str, folder: Path, output: Path | None) -> None:
    """Export the graph as RDF or as an entity network (GraphML, GEXF)."""
    from kg.export import export as export_graph

    export_graph(folder, fmt, output or sys.stdout.buffer)


@cli.command()
@_GRAPH
def stats(folder: Path) -> None:
    """Count entities per type, relations per type, and what each document holds."""
    from kg.query import format_stats, stats

    click.echo(format_stats(stats(folder)), nl=False)


@cli.command()
@_GRAPH
def validate(folder: Path) -> None:
    """Check the graph against the ontology's SHACL shapes; exit 1 if it does not conform."""
    from kg.validate import validate as validate_graph

    if not (folder / "graph.nq").is_file():
        raise StoreError(f"no graph at {folder}; run `kg build` first")
    report = validate_graph(folder / "graph.nq")
    click.echo(report.format())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@_GRAPH
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The HTML file to write (default: DIR/view.html).",
)
@click.option("--focus", metavar="NAME", help="Draw the entities around NAME.")
@click.option(
    "--hops", type=click.IntRange(1, 5), default=1, show_default=True, help="How many links away."
)
@click.option("--path", "between", nargs=2, metavar="A B", help="Draw the chains from A to B.")
@click.option("--type", "types", multiple=True, metavar="TYPE", help="Keep entities of a type.")
@click.option(
    "--relation", "relations", multiple=True, metavar="RELATION", help="Keep links of a relation."
)
@click.option(
    "--min-degree", type=click.IntRange(0), default=0, help="Drop weakly linked entities."
)
@click.option("--community", is_flag=True, help="Colour by community instead of type.")
def view(
    folder: Path,
    output: Path | None,
    focus: str | None,
    hops: int,
    between: tuple[str, str] | None,
    types: tuple[str, ...],
    relations: tuple[str, ...],
    min_degree: int,
    community: bool,
) -> None:
    """Write a network view (one offline HTML file): overview, --focus, or --path."""
    from kg.views import make_view

    drawn = make_view(
        folder,
        output or folder / "view.html",
        focus=focus,
        hops=hops,
        between=between or None,
        types=types,
        relations=relations,
        min_degree=min_degree,
        community=community,
    )
    entities = f"{drawn.entities} entit{'y' if drawn.entities == 1 else 'ies'}"
    links = f"{drawn.links} link{'' if drawn.links == 1 else 's'}"
    click.echo(f"wrote {drawn.path}: {drawn.title} ({entities}, {links})")


@cli.command()
@_GRAPH
@click.option(
    "-o",
    "--output",
    "site",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="The folder to write the site into.",
)
@click.option("--title", default="policy-kg", show_default=True)
def publish(folder: Path, site: Path, title: str) -> None:
    """Write a static site: overview, a page per programme and region, downloads."""
    from kg.publish import publish as publish_site

    written = publish_site(folder, site, title=title)
    click.echo(
        f"wrote {written.folder}/index.html: {written.pages} pages "
        f"({written.programmes} programmes, {written.regions} regions); open it from disk"
    )


@cli.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--errors", is_flag=True, help="List false positives and misses.")
def evaluate(gold: Path, errors: bool) -> None:
    """Score the extractor on gold paragraphs: precision, recall, F1 per type and relation."""
    from kg.config import ONTOLOGY_DIR
    from kg.evaluate import evaluate as score
    from kg.evaluate import extract_text, read_gold
    from kg.lexicon import load_lexicon

    lexicon = load_lexicon(ONTOLOGY_DIR)
    scores = score(read_gold(gold), lambda text, id_: extract_text(text, id_, lexicon))
    click.echo(f"{'':16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for name, p, r, f1, tp, fp, fn in scores.table():
        click.echo(f"{name:16} {p:6.3f} {r:6.3f} {f1:6.3f} {tp:5} {fp:5} {fn:5}")
    for line in sorted(scores.errors) if errors else []:
        click.echo(line)


_TYPE = click.option(
    "--type", "type_", metavar="TYPE", help="Only entities of this type (Region, Platform, …)."
)


@cli.command()
@click.argument("name")
@_GRAPH
@click.option(
    "--all", "everything", is_flag=True,
    help="Every fact, sentence and document (slow for an entity named in thousands).",
)  # fmt: skip
def entity(name: str, folder: Path, everything: bool) -> None:
    """Show an entity's card: names, relations with their evidence, documents.

    NAME may be the label, any alias, or TYPE/NAME; an unknown or ambiguous name
    lists the closest matches. The card shows, for each relation, the facts stated in
    the most documents with sentences from a few of them, and the documents with the
    most mentions, and counts the rest; --all shows the rest too.
    """
    from kg.explore import entity_card, format_card

    if everything:
        card = entity_card(folder, name, facts=None, evidence=None, documents=None)
    else:
        card = entity_card(folder, name)
    click.echo(format_card(card), nl=False)


@cli.command()
@click.argument("a")
@click.argument("b")
@_GRAPH
@click.option("--max-hops", type=_COUNT, default=6, show_default=True, help="Longest chain shown.")
@click.option(
    "--alternatives", type=_COUNT, default=3, show_default=True, help="Most chains shown."
)
def path(a: str, b: str, folder: Path, max_hops: int, alternatives: int) -> None:
    """Show the shortest chains of relations linking A to B, with their evidence."""
    from kg.explore import format_chains, paths

    chains = paths(folder, a, b, max_hops=max_hops, alternatives=alternatives)
    if not chains:
        raise KgError(f"no chain of at most {max_hops} links joins {a} and {b}")
    click.echo(format_chains(chains), nl=False)


@cli.command()
@click.argument("name")
@_GRAPH
@click.option("--hops", type=_COUNT, default=1, show_default=True, help="How many links away.")
@_TYPE
def neighbors(name: str, folder: Path, hops: int, type_: str | None) -> None:
    """List the entities within --hops links of NAME, and the relations reaching them."""
    from kg.explore import format_neighbours, neighbours

    click.echo(format_neighbours(neighbours(folder, name, hops=hops, type_=type_)), nl=False)


@cli.command()
@_GRAPH
@click.option(
    "--by",
    type=click.Choice(["degree", "pagerank", "betweenness"]),
    default="degree",
    show_default=True,
    help="Centrality measure.",
)
@_TYPE
@click.option(
    "-n", "--limit", type=_COUNT, default=20, show_default=True, help="How many entities."
)
def rank(folder: Path, by: str, type_: str | None, limit: int) -> None:
    """List the most central entities of the entity network."""
    from kg.explore import format_ranking
    from kg.explore import rank as rank_entities

    click.echo(format_ranking(rank_entities(folder, by=by, type_=type_, limit=limit), by), nl=False)


@cli.command()
@_GRAPH
@click.option("--min-size", type=_COUNT, default=2, show_default=True, help="Smallest group shown.")
def communities(folder: Path, min_size: int) -> None:
    """List groups of closely linked entities (Louvain), named by their central members."""
    from kg.explore import communities as find_communities
    from kg.explore import format_communities

    click.echo(format_communities(find_communities(folder, min_size=min_size)), nl=False)


@cli.command()
@_graph_or_url("Output folder of a build, or the URL of a SPARQL endpoint holding a pushed build.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
    help="Port (0: any free port).",
)  # fmt: skip
@click.option(
    "--timeout", type=_SECONDS, default=10.0, show_default=True, help="Seconds a query may run."
)
@click.option(
    "--max-rows", type=_COUNT, default=10_000, show_default=True, help="Rows a result may hold."
)
@click.option(
    "--workers", type=_COUNT, default=12, show_default=True, help="Most queries run at once."
)
@click.option("--cors", "cors", metavar="ORIGIN", help="Let pages of ORIGIN call the endpoint.")
@click.option("--allow-remote", is_flag=True, help="Allow a non-loopback --host.")
def serve(folder: str, allow_remote: bool, **options: Any) -> None:
    """Serve the explorer and a read-only SPARQL endpoint at /sparql on 127.0.0.1.

    With -g URL the explorer reads a SPARQL server (credentials: KG_STORE_USER and
    KG_STORE_PASSWORD, or a netrc file) and forwards the checked queries to it.
    """
    from kg.remote import is_url
    from kg.server import ServerOptions
    from kg.server import serve as run_server

    if not allow_remote and not _loopback(options["host"]):
        raise KgError(f"--host {options['host']} is not loopback; add --allow-remote")
    run_server(folder if is_url(folder) else Path(folder), ServerOptions(**options))


def _loopback(host: str) -> bool:
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _progress() -> Any:
    """Return a progress callback drawing a bar on stderr, if stderr is a terminal."""
    bar: Any = None

    def update(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="building", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    return update if sys.stderr.isatty() else None


def main() -> None:
    """Run the ``kg`` command."""
    cli(prog_name="kg")
