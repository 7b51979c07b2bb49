"""The ``partitions`` namespace: Consul Enterprise admin partitions."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import partition

__all__ = ["Partitions"]


class Partitions(Namespace[D]):
    """Consul Enterprise admin partitions (Enterprise 1.11+): ``/v1/partition``,
    ``/v1/partitions``.
    """

    create = endpoint(partition.create)
    read = endpoint(partition.read)
    update = endpoint(partition.update)
    delete = endpoint(partition.delete)
    items = endpoint(partition.items)
