"""A local web explorer and read-only SPARQL endpoint over a built graph: ``kg serve``.

The graph is a build's output folder, or a SPARQL server a build was pushed to
(``-g URL``): then checked queries are forwarded to it (``kg.server.forward``) and the
pages ask it in SPARQL (``kg.explore.RemoteSource``).

``serve`` binds 127.0.0.1 by default (another address is the caller's explicit choice
and draws a warning), then runs the Starlette application of ``kg.server.web`` under
uvicorn: pages for people (``kg.server.pages``) and a SPARQL 1.1 Protocol endpoint at
``/sparql`` (``kg.server.sparql``) whose queries are checked (``kg.guard``) and run
in worker processes that a timeout can kill (``kg.server.pool``).
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

from kg.server.options import ServerOptions

__all__ = ["ServerOptions", "serve"]


def serve(graph: Path | str, options: ServerOptions | None = None) -> None:
    """Serve a build's graph, or a SPARQL server's, until interrupted.

    Prints the address once the socket is bound (``options.port`` 0 picks a free port).

    Args:
        graph: the output folder of a build, or the URL of a SPARQL endpoint.
        options: the server's options.

    Raises:
        StoreError: no graph, or no search index, at a folder.
        RemoteError: the SPARQL server does not answer.
        OSError: the address cannot be bound.
    """
    import uvicorn

    from kg.explore import as_source
    from kg.remote import redact
    from kg.server.web import create_app

    options = options or ServerOptions()
    as_source(graph).check()
    family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((options.host, options.port))
    port = sock.getsockname()[1]
    sock.listen(128)  # connections made from now on wait for the server to start
    if not _loopback(options.host):
        print(
            f"warning: serving on {options.host}, reachable from other machines; the explorer"
            " has no authentication",
            file=sys.stderr,
        )
    app = create_app(graph, options, port=port)
    host = f"[{options.host}]" if ":" in options.host else options.host
    shown = redact(graph) if isinstance(graph, str) else graph
    print(f"serving {shown} at http://{host}:{port}/ (SPARQL: /sparql); Ctrl-C stops", flush=True)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    uvicorn.Server(config).run(sockets=[sock])


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
