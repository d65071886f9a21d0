"""Assemble the explorer's Starlette application and its guards.

Guards, outermost first: the Host header must name the address the server is bound
to (a page on another site cannot reach the server through DNS rebinding); responses
carry a content policy that runs only the site's own scripts and fetches nothing from
elsewhere; CORS headers are sent only for an origin given with ``--cors``. Static
files are served by Starlette, which refuses paths leaving their folder; vis-network
is served from memory under fixed names.
"""

from __future__ import annotations

import socket
import tempfile
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.errors import KgError, StoreError
from kg.explore import EntityNotFound, LocalSource, RemoteSource, Source
from kg.guard import Limits
from kg.remote import RemoteError, is_url
from kg.server import pages
from kg.server.forward import Forwarder
from kg.server.options import ServerOptions
from kg.server.pool import Pool
from kg.server.sparql import endpoint
from kg.views import write_assets

__all__ = ["ServerOptions", "allowed_hosts", "create_app"]

_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
    " frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
_SECURITY = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"SAMEORIGIN",
    b"referrer-policy": b"no-referrer",
}


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Return the Host header values that name a server bound to ``host:port``.

    >>> sorted(allowed_hosts("127.0.0.1", 8000))
    ['127.0.0.1:8000', '[::1]:8000', 'localhost:8000']
    """
    names = {host if ":" not in host else f"[{host}]"}
    if host in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    if host in ("0.0.0.0", "::"):  # every address: the machine's own names and addresses
        names |= _own_names()
    names -= {"0.0.0.0", "[::]"}
    return frozenset({f"{n}:{port}" for n in names} | (names if port == 80 else set()))


def _own_names() -> set[str]:
    name = socket.gethostname()
    try:
        _, aliases, addresses = socket.gethostbyname_ex(name)
    except OSError:
        return {name.lower()}
    return {n.lower() for n in (name, *aliases, *addresses)}


def create_app(graph: Path | str, options: ServerOptions, *, port: int | None = None) -> Starlette:
    """Return the explorer for a build's graph, or for a SPARQL server's.

    For a build, queries run in a worker pool and pages read its store and search
    index; for a server, checked queries are forwarded to it and pages ask it in
    SPARQL (``kg.explore.RemoteSource`` says what differs).

    Args:
        graph: the output folder of a build, or the URL of a SPARQL endpoint.
        options: the server's options.
        port: the port actually bound (``options.port`` may be 0).
    """
    source: Source
    pool: Pool | Forwarder
    if is_url(graph):
        source = RemoteSource(str(graph), timeout=options.timeout)
        pool = Forwarder(str(graph), size=options.workers, timeout=options.timeout)
    else:
        source = LocalSource(Path(graph))
        pool = Pool(Path(graph), size=options.workers, timeout=options.timeout)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.start()
        try:
            yield
        finally:
            pool.close()

    routes: list[BaseRoute] = [Route(path, handler) for path, handler in pages.PAGES]
    routes += [
        Route("/sparql", endpoint, methods=["GET", "POST"]),
        Mount("/assets", app=_Assets()),
        Mount("/static", app=StaticFiles(directory=Path(__file__).parent / "static")),
    ]
    middleware = [Middleware(_Guard, hosts=allowed_hosts(options.host, port or options.port))]
    if options.cors:
        middleware.append(
            Middleware(CORSMiddleware, allow_origins=[options.cors], allow_methods=["GET", "POST"],
                       allow_headers=["Accept", "Content-Type"])
        )  # fmt: skip
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={KgError: _error, 404: _not_found},
    )
    app.state.source = source
    app.state.pool = pool
    app.state.limits = Limits(options.max_length, options.max_depth)
    app.state.max_rows = options.max_rows
    return app


class _Guard:
    """Refuse unknown Host headers; add the security headers to every response."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:
            response = PlainTextResponse(f"unknown Host header {host!r}\n", status_code=400)
            await response(scope, receive, send)
            return
        framed_view = scope["path"].startswith("/view/")  # its own page carries its policy

        async def secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += list(_SECURITY.items())
                if not framed_view:
                    headers.append((b"content-security-policy", _POLICY.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, secure)


class _Assets:
    """Serve vis-network's script and style (from the pyvis wheel) under fixed names."""

    def __init__(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            write_assets(Path(tmp))
            self.files = {p.name: p.read_bytes() for p in Path(tmp).iterdir()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope["path"].rsplit("/", 1)[-1]
        body = self.files.get(name)
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        response = (
            Response(body, media_type=kind) if body else PlainTextResponse("not found\n", 404)
        )
        response.headers["Cache-Control"] = "max-age=3600"
        await response(scope, receive, send)


async def _error(request: Request, exc: Exception) -> Response:
    status = (
        404 if isinstance(exc, EntityNotFound)
        else 503 if isinstance(exc, StoreError)
        else 502 if isinstance(exc, RemoteError)
        else 400
    )  # fmt: skip
    candidates = getattr(exc, "candidates", ())
    return pages.error_page(request, status, str(exc), candidates)


async def _not_found(request: Request, exc: Exception) -> Response:
    return pages.error_page(request, 404, f"nothing at {request.url.path}", ())
