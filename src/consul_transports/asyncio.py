"""The Consul client for asyncio.

Example:
    >>> from consul_transports.asyncio import Consul
    >>> async def main() -> None:  # doctest: +SKIP
    ...     async with Consul("http://127.0.0.1:8500") as client:
    ...         await client.kv.set("greeting", b"hello")
    ...         entry, meta = await client.kv.get("greeting")
"""

from __future__ import annotations

from consul_transports._async.client import AsyncConsul

__all__ = ["Consul"]


class Consul(AsyncConsul):
    """A Consul client for asyncio; every method is a coroutine."""
