"""The async client, shared by the asyncio and trio entry points; its arguments are read by
`Client` (`_client.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consul_core import AsyncDriver
from consul_transports._async.driver import AnyioDriver
from consul_transports._client import Client, Flavor
from consul_transports._observe import AsyncEventHooks
from consul_transports._select import AsyncTransportArg, async_transport
from consul_transports._transport import AsyncTransport

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AsyncConsul"]


class AsyncConsul(Client[AsyncDriver, AsyncTransport, AsyncTransportArg, AsyncEventHooks]):
    """An async Consul client for asyncio and trio; see the package docs for the namespaces."""

    _flavor = Flavor(async_transport, AnyioDriver, awaited=True)

    async def aclose(self) -> None:
        """Close the client's watches and streams (a read under way in one ends at once, as
        when it is closed itself), then its connections; a call waiting for a connection fails
        with `UsageError`, and calls under way end with their answer.
        """
        for iterator in self._iterators.taken():
            await iterator.aclose()
        await self.transport.aclose()

    async def __aenter__(self) -> Self:  # the entry point's class, as users name it
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
