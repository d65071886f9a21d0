"""Run the map over documents on a Dask distributed cluster: ``kg build --dask ADDRESS``.

Documents are independent: extracting one needs its file, the lexicons and nothing
else, so a build is a map of ``kg.extract.extract`` over the documents and a merge
of the results in document order, done by the build's own process exactly as for
``--jobs``. ``in_order`` is the map on a cluster: it sends each document's task to
the scheduler, keeps a few per worker thread in flight, and yields the results in
the order of the tasks, so the merged graph is the one a single process builds.
Entity IRIs depend only on an entity's type and canonical name, never on which
worker saw it first.

The workers read the files themselves: they must see the inputs and the ontology
at the same paths as the build's process (a shared file system, or the same
checkout on each machine; paths are made absolute before they are sent), and run
the same policy-kg, which is checked when the build connects.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from distributed import Client, Future

from kg.errors import KgError

__all__ = ["code_fingerprint", "connect", "in_order"]

_T = TypeVar("_T")
#: Tasks in flight per worker thread: enough to hide a round trip, few enough that
#: results waiting for the build's process stay small.
_PER_THREAD = 4
#: The build whose initializer last ran in this (worker) process.
_READY: dict[str, str] = {}


def code_fingerprint() -> str:
    """Return the sha256 of this process's policy-kg code, to compare with a worker's."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def connect(address: str, *, timeout: float = 30.0) -> Client:
    """Connect to the scheduler at ``address`` and check its workers run this code.

    Raises:
        KgError: the scheduler cannot be reached, has no worker, or a worker runs a
            different version of policy-kg.
    """
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise KgError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
        theirs = client.run(code_fingerprint)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise KgError(f"the Dask scheduler at {address} has no worker ready: {exc}") from None
    ours = code_fingerprint()
    other = sorted(worker for worker, print_ in theirs.items() if print_ != ours)
    if other:
        client.close()
        raise KgError(
            f"Dask worker {other[0]} runs other policy-kg code than this build"
            f" ({len(other)} of {len(theirs)} workers); install the same version everywhere"
        )
    return client


def in_order(
    address: str,
    function: Callable[..., _T],
    tasks: Sequence[tuple[Any, ...]],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
) -> Iterator[_T]:
    """Yield ``function(*task)`` for each task, in order, computed by a Dask cluster.

    ``initializer(*initargs)`` runs once per worker process before its first task of
    this call (``initargs`` are sent to each worker once). ``Path`` arguments are made
    absolute, since the workers may run in other folders.

    Args:
        address: the scheduler, e.g. ``tcp://scheduler:8786``.
        function: a function importable on the workers (module level).
        tasks: the arguments of each call.
        initializer: sets up a worker process, e.g. ``kg.extract.known``.
        initargs: its arguments.

    Raises:
        KgError: the cluster cannot be used (see ``connect``), or a task raised it.
    """
    client = connect(address)
    try:
        token = uuid.uuid4().hex
        [shared] = client.scatter([initargs], broadcast=True, hash=False)
        window = _PER_THREAD * max(sum(client.nthreads().values()), 1)
        pending: deque[tuple[tuple[Any, ...], Future]] = deque()
        todo = iter(tasks)

        def submit(task: tuple[Any, ...]) -> None:
            args = tuple(a.absolute() if isinstance(a, Path) else a for a in task)
            future = client.submit(_call, function, initializer, shared, token, args, pure=False)
            pending.append((task, future))

        for task in todo:
            submit(task)
            if len(pending) >= window:
                break
        while pending:
            task, future = pending.popleft()
            result: _T = future.result()
            for following in todo:
                submit(following)
                break
            yield _as_named(result, task)
    finally:
        client.close()


def _call(
    function: Callable[..., _T],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    token: str,
    args: tuple[Any, ...],
) -> _T:
    """Run one task on a worker, setting the worker up first if this build has not."""
    if _READY.get("build") != token:
        initializer(*initargs)
        _READY["build"] = token
    return function(*args)


def _as_named(result: _T, task: tuple[Any, ...]) -> _T:
    """Give a skipped file back the path it was named by, before it was made absolute."""
    from kg.extract import Skipped

    named = task[0] if task else None
    if isinstance(result, Skipped) and isinstance(named, Path) and result.path != named:
        return Skipped(named, result.problem)  # type: ignore[return-value]
    return result
