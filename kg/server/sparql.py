"""The SPARQL 1.1 Protocol endpoint: read-only queries by GET and POST, nothing else.

A query comes as ``?query=`` (GET), a form field (POST
``application/x-www-form-urlencoded``) or the body (POST ``application/sparql-query``).
Updates in any form are refused with 403. The text is checked by ``kg.guard``
and run by a worker of ``kg.server.pool``, or, when the graph is a SPARQL server's,
sent to it by ``kg.server.forward``; the results format comes from the ``format``
parameter or the Accept header.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from kg.guard import Limits, QueryRefused, check_query
from kg.server.forward import Forwarder
from kg.server.pool import Pool
from kg.server.results import Answer, Job

__all__ = ["endpoint", "run_query"]

_FORM = "application/x-www-form-urlencoded"


async def endpoint(request: Request) -> Response:
    """Answer a SPARQL Protocol request."""
    state = request.app.state
    try:
        params = await _params(request, state.limits)
        if "update" in params:
            raise QueryRefused(403, "updates are refused: this endpoint is read-only")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            raise QueryRefused(
                400, "default-graph-uri and named-graph-uri are not supported; use FROM"
            )
        if not params.get("query", "").strip():
            raise QueryRefused(400, "missing query: send ?query=… or a POST body")
    except QueryRefused as exc:
        return _response(Answer.error(exc.status, str(exc)))
    answer = await run_query(
        state.pool, state.limits, params["query"], request.headers.get("accept", "*/*"),
        params.get("format"), state.max_rows,
    )  # fmt: skip
    response = _response(answer)
    if "download" in params and answer.status == 200:
        name = "result." + (params.get("format") or "json")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


async def run_query(
    pool: Pool | Forwarder, limits: Limits, sparql: str, accept: str, fmt: str | None, max_rows: int
) -> Answer:
    """Check a query and run it in the pool or on the server; refusals become answers too."""
    try:
        graphs = check_query(sparql, limits)
    except QueryRefused as exc:
        return Answer.error(exc.status, str(exc))
    return await pool.run(Job(sparql, accept, fmt, max_rows, graphs))


async def _params(request: Request, limits: Limits) -> dict[str, str]:
    """Return the request's parameters, the query included, one value each."""
    params = dict(request.query_params)
    if request.method != "POST":
        return params
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _body(request, 4 * limits.max_length + 4096)
    if kind == "application/sparql-update":
        raise QueryRefused(403, "updates are refused: this endpoint is read-only")
    if kind == "application/sparql-query":
        params["query"] = _decode(body)
    elif kind == _FORM:
        fields = parse_qs(_decode(body), keep_blank_values=True)
        params |= {key: values[0] for key, values in fields.items()}
    else:
        raise QueryRefused(
            415, f"send {_FORM} or application/sparql-query, not {kind or 'nothing'}"
        )
    return params


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) > limit:
        raise QueryRefused(413, f"request body too large; at most {limit:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise QueryRefused(413, f"request body too large; at most {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryRefused(400, "the request body is not UTF-8") from None


def _response(answer: Answer) -> Response:
    return Response(answer.body, answer.status, answer.headers, media_type=answer.media_type)
