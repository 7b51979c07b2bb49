"""The ``namespaces`` namespace: Consul Enterprise namespaces."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import namespace

__all__ = ["Namespaces"]


class Namespaces(Namespace[D]):
    """Consul Enterprise namespaces (Enterprise 1.7+): ``/v1/namespace``, ``/v1/namespaces``."""

    create = endpoint(namespace.create)
    read = endpoint(namespace.read)
    update = endpoint(namespace.update)
    delete = endpoint(namespace.delete)
    items = endpoint(namespace.items)
