"""Talk HTTP to a SPARQL server: credentials, authentication, one call per request.

Credentials come from ``KG_STORE_USER`` and ``KG_STORE_PASSWORD`` or, failing those,
from the netrc file (``$NETRC`` or ``~/.netrc``) entry of the server's host; a URL
carrying ``user:password@`` is refused, since it would end up in shell histories and
process lists. The password is handed to httpx and to nothing else: no message of
this module carries it, nor the user name. The server's challenge decides between
Digest and Basic authentication.
"""

from __future__ import annotations

import netrc
import os
import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from kg.remote import RemoteError, redact

__all__ = ["Answer", "Connection"]

#: Statuses that mean the request was done in full; 206 (a partial answer) is not one.
_DONE = frozenset({200, 201, 204})
#: Virtuoso's SQL state for a query cut off by its time limit ("anytime" results).
_ANYTIME = "S1TAT"


@dataclass(frozen=True)
class Answer:
    """A server's answer: status, media type, body; ``problem`` is None when it is complete."""

    status: int
    media_type: str
    body: bytes
    problem: str | None


class Connection:
    """An HTTP connection to one server, usable from several threads.

    Each thread gets a client of its own, since a Digest session counts its requests.

    Args:
        url: any URL of the server (its host names the netrc entry).
        timeout: seconds to wait for a connection, and between bytes of an answer.
    """

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        if "@" in urlsplit(url).netloc:
            raise RemoteError(
                f"{redact(url)}: do not put credentials in the URL; set KG_STORE_USER and"
                " KG_STORE_PASSWORD or use a netrc file"
            )
        self.timeout = timeout
        self._credentials = _credentials(urlsplit(url).hostname or "")
        self._local = threading.local()
        self._clients: list[httpx.Client] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every thread's client."""
        with self._lock:
            for client in self._clients:
                client.close()
            self._clients.clear()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Send one request; a time-out, a lost connection or a partial answer is a problem.

        Raises:
            RemoteError: the server refuses the credentials (401 or 403).
        """
        try:
            response = self._client().request(
                method, url, params=params, content=content, data=data, headers=headers
            )
        except httpx.TimeoutException:
            return Answer(0, "", b"", f"timed out after {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Answer(0, "", b"", f"{type(exc).__name__}: {exc}")
        if response.status_code in (401, 403):
            raise RemoteError(_refused(url, response.status_code, self._credentials is not None))
        media = response.headers.get("content-type", "").partition(";")[0].strip().lower()
        return Answer(response.status_code, media, response.content, _problem(response))

    def _client(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None:
            auth = _Challenge(*self._credentials) if self._credentials else None
            client = httpx.Client(auth=auth, timeout=self.timeout, follow_redirects=True)
            with self._lock:
                self._clients.append(client)
            self._local.client = client
        return client


def _problem(response: httpx.Response) -> str | None:
    if response.headers.get("x-sql-state", "").upper() == _ANYTIME:
        return "partial answer: the server's time limit cut the query short"
    if limit := response.headers.get("x-sparql-maxrows"):
        # Virtuoso sends this only when it cut the results at ResultSetMaxRows.
        return f"partial answer: the server cut the results at its limit of {limit} rows"
    if response.status_code == 206:
        return "partial answer (206 Partial Content)"
    if response.status_code in _DONE:
        return None
    text = response.content[:2000].decode("utf-8", "replace").strip()
    first = " ".join(text.split())[:300]
    return f"{response.status_code} {response.reason_phrase}" + (f": {first}" if first else "")


def _refused(url: str, status: int, have_credentials: bool) -> str:
    where = redact(url)
    if not have_credentials:
        return (
            f"{where} asks for credentials ({status}): set KG_STORE_USER and KG_STORE_PASSWORD"
            " or add the host to your netrc file"
        )
    return f"{where} refused the credentials ({status}); check KG_STORE_USER and the password"


def _credentials(host: str) -> tuple[str, str] | None:
    """Return (user, password) from the environment or the netrc file, if any."""
    user = os.environ.get("KG_STORE_USER")
    password = os.environ.get("KG_STORE_PASSWORD")
    if user is not None or password is not None:
        if not user or password is None:
            raise RemoteError("set both KG_STORE_USER and KG_STORE_PASSWORD, or neither")
        return user, password
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not host or not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        # The parser's message may quote a token of the file: a password, perhaps.
        line = getattr(exc, "lineno", None)
        raise RemoteError(f"{path}: cannot read the netrc file (line {line})") from None
    if entry is None:
        return None
    login, _, secret = entry
    return (login, secret) if login and secret is not None else None


class _Challenge(httpx.Auth):
    """Answer the server's challenge with Digest or Basic authentication, as it asks."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._schemes: dict[str, httpx.Auth] = {
            "digest": httpx.DigestAuth(user, password),
            "basic": httpx.BasicAuth(user, password),
        }
        self._scheme: str | None = None

    def __repr__(self) -> str:
        return "<_Challenge>"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send the request; on a challenge, send it again with the scheme asked for."""
        if self._scheme:
            yield from self._schemes[self._scheme].auth_flow(request)
            return
        response = yield request
        scheme = response.headers.get("www-authenticate", "").partition(" ")[0].lower()
        if response.status_code != 401 or scheme not in self._schemes:
            return
        self._scheme = scheme
        yield from self._schemes[scheme].auth_flow(request)
