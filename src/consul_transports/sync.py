"""The blocking Consul client, for scripts and threads.

Example:
    >>> from consul_transports.sync import Consul
    >>> with Consul("http://127.0.0.1:8500") as client:  # doctest: +SKIP
    ...     client.kv.set("greeting", b"hello")
    ...     entry, meta = client.kv.get("greeting")
"""

from __future__ import annotations

from consul_transports._sync.client import SyncConsul

__all__ = ["Consul"]


class Consul(SyncConsul):
    """A blocking Consul client; every method returns its result directly."""
