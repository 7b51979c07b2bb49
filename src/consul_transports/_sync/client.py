# Generated from src/consul_transports/_async/client.py
# by scripts/unasync.py: do not edit by hand.
"""The sync client; its arguments are read by
`Client` (`_client.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consul_core import SyncDriver
from consul_transports._client import Client, Flavor
from consul_transports._observe import EventHooks
from consul_transports._select import SyncTransportArg, sync_transport
from consul_transports._sync.driver import BlockingDriver
from consul_transports._transport import SyncTransport

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["SyncConsul"]


class SyncConsul(Client[SyncDriver, SyncTransport, SyncTransportArg, EventHooks]):
    """A blocking Consul client; see the package docs for the namespaces."""

    _flavor = Flavor(sync_transport, BlockingDriver, awaited=False)

    def close(self) -> None:
        """Close the client's watches and streams (a read under way in one ends at once, as
        when it is closed itself), then its connections; a call waiting for a connection fails
        with `UsageError`, and calls under way end with their answer.
        """
        for iterator in self._iterators.taken():
            iterator.close()
        self.transport.close()

    def __enter__(self) -> Self:  # the entry point's class, as users name it
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
