"""Run queries in worker processes that can be stopped: a timeout kills one, not the server.

The engine cannot cancel a query, and a pathological one can crash its process, so
each query runs in a worker process with the store open read-only. A worker that
passes the timeout is killed (its query answered 503) and replaced; one that dies is
answered 500. Every query in flight has a worker of its own, up to ``size``: a
light query never waits behind heavy ones, it shares the processors with them, and a
query still running after ``_NICE_AFTER`` seconds is moved to a lower CPU priority so
that new, light ones come first (such a worker is retired once it answers, since
its priority cannot be raised again). When all ``size`` workers are busy the pool
refuses at once (503 with Retry-After) instead of queueing behind runaways.

Workers are forked by a fork server that has already imported the engine, so a new
one is ready in milliseconds; a few idle ones are kept warm.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.server.results import Answer, Job

__all__ = ["Pool"]

_NICE_AFTER = 1.0
_IDLE = 2


def _work(conn: Connection, folder: str) -> None:
    """Answer jobs from ``conn`` until it closes (runs in the worker process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    from kg import store
    from kg.server.results import answer

    with contextlib.suppress(Exception):
        store.open_store(Path(folder))  # open now, so the first query does not wait
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(Path(folder), job))


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, folder: Path) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_work, args=(child, str(folder)), daemon=True)
        self.process.start()
        child.close()
        self.niced = False

    async def ask(self, job: Job) -> Answer:
        """Send a job and wait for its answer without blocking the event loop."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self.conn.fileno()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, readable)
        try:
            self.conn.send(job)
            await ready
            answer: Answer = self.conn.recv()
            return answer
        finally:
            loop.remove_reader(fd)

    def renice(self) -> None:
        """Lower the worker's CPU priority (a query that has run long)."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, 10)
            self.niced = True

    def kill(self) -> None:
        """Stop the worker at once."""
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
            self.process.join(timeout=2)
            self.conn.close()


class Pool:
    """Worker processes for queries on the store at ``folder``.

    Args:
        folder: the output folder of a build.
        size: most queries running at once.
        timeout: seconds a query may run before its worker is killed.
    """

    def __init__(self, folder: Path, *, size: int = 12, timeout: float = 10.0) -> None:
        self.folder = Path(folder)
        self.size = max(size, 1)
        self.timeout = timeout
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["kg.server.results"])
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()

    def start(self) -> None:
        """Start the fork server and the idle workers."""
        self._top_up()

    def close(self) -> None:
        """Stop every worker."""
        for worker in [*self._idle, *self._busy]:
            worker.kill()
        self._idle.clear()
        self._busy.clear()

    @property
    def busy(self) -> int:
        """How many queries are running."""
        return len(self._busy)

    async def run(self, job: Job) -> Answer:
        """Run a job in a worker of its own; answer 503 if it is cut off or none is free."""
        if len(self._busy) >= self.size:
            answer = Answer.error(503, f"all {self.size} query workers are busy; retry shortly")
            return Answer(503, answer.media_type, answer.body, {"Retry-After": "2"})
        worker = self._idle.pop() if self._idle else _Worker(self._context, self.folder)
        self._busy.add(worker)
        nice = asyncio.get_running_loop().call_later(_NICE_AFTER, worker.renice)
        try:
            answer = await asyncio.wait_for(worker.ask(job), self.timeout)
        except TimeoutError:
            worker.kill()
            return Answer.error(
                503, f"query cut off after {self.timeout:g} s (the server's timeout)"
            )
        except (EOFError, OSError):
            worker.kill()
            return Answer.error(500, "the query engine stopped on this query")
        except BaseException:  # cancelled: the worker may still be busy with the query
            worker.kill()
            raise
        finally:
            nice.cancel()
            self._busy.discard(worker)
            self._top_up()
        if worker.niced or len(self._idle) >= 2 * _IDLE:
            worker.kill()
        else:
            self._idle.append(worker)
        return answer

    def _top_up(self) -> None:
        self._idle = [w for w in self._idle if w.process.is_alive()]
        while len(self._idle) < _IDLE and len(self._idle) + len(self._busy) < self.size:
            self._idle.append(_Worker(self._context, self.folder))
