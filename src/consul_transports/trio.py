"""The Consul client for trio (the same anyio code path as asyncio, under trio's loop).

Example:
    >>> from consul_transports.trio import Consul
    >>> async def main() -> None:  # doctest: +SKIP
    ...     async with Consul("http://127.0.0.1:8500") as client:
    ...         await client.kv.set("greeting", b"hello")
"""

from __future__ import annotations

from consul_transports._async.client import AsyncConsul

__all__ = ["Consul"]


class Consul(AsyncConsul):
    """A Consul client for trio; every method is a coroutine."""
