"""The ``coordinate`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, watcher
from consul_core.endpoints import coordinate

__all__ = ["Coordinate"]


class Coordinate(Namespace[D]):
    """Network coordinates: ``/v1/coordinate``."""

    datacenters = endpoint(coordinate.datacenters)
    nodes = endpoint(coordinate.nodes)
    node = endpoint(coordinate.node)
    update = endpoint(coordinate.update)
    watch_nodes = watcher(coordinate.nodes)
    watch_node = watcher(coordinate.node)
