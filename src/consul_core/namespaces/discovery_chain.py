"""The ``discovery_chain`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import discovery_chain

__all__ = ["DiscoveryChain"]


class DiscoveryChain(Namespace[D]):
    """The compiled discovery chain (Consul 1.6+): ``/v1/discovery-chain``."""

    get = endpoint(discovery_chain.get)
