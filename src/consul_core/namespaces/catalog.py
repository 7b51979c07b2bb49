"""The ``catalog`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, watcher
from consul_core.endpoints import catalog

__all__ = ["Catalog"]


class Catalog(Namespace[D]):
    """The catalog: ``/v1/catalog``."""

    register = endpoint(catalog.register)
    deregister = endpoint(catalog.deregister)
    datacenters = endpoint(catalog.datacenters)
    nodes = endpoint(catalog.nodes)
    services = endpoint(catalog.services)
    service = endpoint(catalog.service)
    connect = endpoint(catalog.connect)
    node = endpoint(catalog.node)
    node_services = endpoint(catalog.node_services)
    gateway_services = endpoint(catalog.gateway_services)
    watch_nodes = watcher(catalog.nodes)
    watch_services = watcher(catalog.services)
    watch_service = watcher(catalog.service)
    watch_connect = watcher(catalog.connect)
    watch_node = watcher(catalog.node)
    watch_node_services = watcher(catalog.node_services)
    watch_gateway_services = watcher(catalog.gateway_services)
