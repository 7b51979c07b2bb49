"""Models of Consul Enterprise admin partitions (Consul Enterprise 1.11+): ``/v1/partition``.

Shapes from the Consul HTTP API documentation and the Go client's ``api/partition.go``.
"""

from __future__ import annotations

from consul_core._codec import Timestamp
from consul_core.models._shared import Indexed

__all__ = ["AdminPartition"]


class AdminPartition(Indexed, frozen=True):
    """An admin partition (Consul Enterprise).

    Attributes:
        name: The partition's name (a DNS label).
        disable_gossip: Whether the partition has no gossip pool (no client agents join it).
        deleted_at: When it was marked for deletion; None while it is not.
    """

    name: str = ""
    description: str = ""
    disable_gossip: bool = False
    deleted_at: Timestamp | None = None
