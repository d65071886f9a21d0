"""Use a SPARQL 1.1 server as the graph store: push a build to it, query it.

- ``kg.remote.push.push`` writes a build's named graphs to a server through the Graph
  Store HTTP Protocol, one idempotent PUT per graph, and sends again only what
  changed or failed (``kg push``, ``kg build --store``).
- ``kg.remote.sparql.query`` runs a query on a server's SPARQL endpoint and returns
  results of the same types as ``kg.store.query`` (``kg query -g URL``).

Credentials come from ``KG_STORE_USER``/``KG_STORE_PASSWORD`` or a netrc file and
are never printed (``kg.remote._http``). This module itself is light: it holds what
the command line needs to tell a URL from a folder without loading an HTTP client.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kg.errors import KgError

__all__ = ["RemoteError", "is_url", "redact"]


class RemoteError(KgError):
    """A SPARQL server cannot be reached, refuses the credentials, or answers wrongly."""


def is_url(text: object) -> bool:
    """Tell whether ``text`` names an HTTP(S) server rather than a folder.

    >>> is_url("http://127.0.0.1:8890/sparql"), is_url("output")
    (True, False)
    """
    return isinstance(text, str) and text.lower().startswith(("http://", "https://"))


def redact(url: str) -> str:
    """Return ``url`` without any user name or password it carries.

    >>> redact("http://me:secret@example.org:8890/sparql?x=1")
    'http://example.org:8890/sparql?x=1'
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host).geturl()
