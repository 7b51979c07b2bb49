"""Models of the health endpoints: checks (the catalog's `HealthCheck`) and service entries."""

from __future__ import annotations

from typing import Literal

from consul_core._codec import Model, field
from consul_core.models.catalog import HealthCheck, HealthCheckDefinition, Node, NodeService

__all__ = ["HealthCheck", "HealthCheckDefinition", "HealthState", "ServiceEntry"]

HealthState = Literal["any", "passing", "warning", "critical"]


class ServiceEntry(Model, frozen=True):
    """One instance of a service with its node and every check of both.

    Attributes:
        node: The node the instance runs on.
        service: The instance.
        checks: The node's checks and the instance's checks.
    """

    node: Node
    service: NodeService
    checks: list[HealthCheck] = field(factory=list)
