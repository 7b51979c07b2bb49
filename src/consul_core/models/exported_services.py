"""Models of the exported services (Consul 1.17.3+): ``/v1/exported-services``.

Shapes from the Consul HTTP API documentation and the Go client's
``api/exported_services.go``.
"""

from __future__ import annotations

from consul_core._codec import Model, field

__all__ = ["ResolvedConsumers", "ResolvedExportedService"]


class ResolvedConsumers(Model, frozen=True):
    """Who consumes an exported service.

    Attributes:
        peers: The cluster peers it is exported to.
        partitions: (Enterprise) The admin partitions it is exported to.
    """

    peers: list[str] = []
    partitions: list[str] = []


class ResolvedExportedService(Model, frozen=True):
    """A service that an ``exported-services`` config entry exports, its sameness groups and
    wildcards expanded.

    Attributes:
        service: The service's name.
        consumers: Who consumes it.
    """

    service: str = ""
    partition: str = ""
    namespace: str = ""
    consumers: ResolvedConsumers = field(factory=ResolvedConsumers)
