"""The options of ``kg serve``, kept apart so that importing them costs nothing."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServerOptions"]


@dataclass(frozen=True)
class ServerOptions:
    """Options of ``kg serve``."""

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 12
    cors: str | None = None
    max_length: int = 20_000
    max_depth: int = 64
