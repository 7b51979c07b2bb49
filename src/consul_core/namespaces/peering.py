"""The ``peering`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import peering

__all__ = ["Peerings"]


class Peerings(Namespace[D]):
    """Cluster peering (Consul 1.13+): ``/v1/peering``, ``/v1/peerings``."""

    generate_token = endpoint(peering.generate_token)
    establish = endpoint(peering.establish)
    read = endpoint(peering.read)
    delete = endpoint(peering.delete)
    items = endpoint(peering.items)
