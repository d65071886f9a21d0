"""Forward checked queries to a remote SPARQL server: ``kg serve -g URL``.

The counterpart of ``kg.server.pool`` for a graph held by a SPARQL server: queries
run in threads that wait on the server (``kg.server.results.forward``), at most
``size`` at once, and one that passes the timeout is answered 503 at once. A thread
cannot be stopped, but its HTTP client gives up after the same timeout between bytes,
and until it does it still counts against ``size``, so runaways cannot pile up.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future, ThreadPoolExecutor

from kg.remote import redact
from kg.server.results import Answer, Job, forward

__all__ = ["Forwarder"]


class Forwarder:
    """Threads that send queries to the SPARQL endpoint at ``url``.

    Args:
        url: the endpoint, e.g. Virtuoso's ``http://host:8890/sparql``.
        size: most queries waiting on the server at once.
        timeout: seconds a query may take before it is answered 503.
    """

    def __init__(self, url: str, *, size: int = 12, timeout: float = 10.0) -> None:
        self.url = url
        self.size = max(size, 1)
        self.timeout = timeout
        self._threads: ThreadPoolExecutor | None = None
        self._running: set[Future[Answer]] = set()

    def __repr__(self) -> str:
        return f"Forwarder({redact(self.url)!r})"

    def start(self) -> None:
        """Start the threads."""
        self._executor()

    def close(self) -> None:
        """Stop taking queries; threads still waiting end when the server answers or times out."""
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
            self._threads = None

    @property
    def busy(self) -> int:
        """How many queries are waiting on the server."""
        return len(self._running)

    async def run(self, job: Job) -> Answer:
        """Send a job to the server; answer 503 if it is cut off or no thread is free."""
        if len(self._running) >= self.size:
            answer = Answer.error(503, f"all {self.size} query threads are busy; retry shortly")
            return Answer(503, answer.media_type, answer.body, {"Retry-After": "2"})
        future = self._executor().submit(forward, self.url, job, self.timeout)
        self._running.add(future)
        future.add_done_callback(self._running.discard)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            return Answer.error(
                503, f"query cut off after {self.timeout:g} s (the server's timeout)"
            )

    def _executor(self) -> ThreadPoolExecutor:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.size, thread_name_prefix="kg-forward")
        return self._threads
