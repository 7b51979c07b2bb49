"""Models of the health endpoints: checks (the catalog's `HealthCheck`) and service entries; and
`aggregated_status`, the one status that stands for a list of checks (the Go client's
``HealthChecks.AggregatedStatus``).

Rules of the aggregated status: maintenance beats critical, which beats warning, which beats
passing; a node or service in maintenance is one that has Consul's maintenance check
(``_node_maintenance`` or ``_service_maintenance:<service-id>``), whatever its status; no checks
at all is passing; a check with a status Consul does not define makes the whole unknown (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from consul_core._codec import Model
from consul_core.models.agent_services import AggregatedStatus
from consul_core.models.catalog import HealthCheck, HealthCheckDefinition, Node, NodeService

__all__ = [
    "NODE_MAINTENANCE",
    "SERVICE_MAINTENANCE_PREFIX",
    "HealthCheck",
    "HealthCheckDefinition",
    "HealthState",
    "ServiceEntry",
    "aggregated_status",
]

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
    checks: list[HealthCheck] = []


NODE_MAINTENANCE = "_node_maintenance"
SERVICE_MAINTENANCE_PREFIX = "_service_maintenance:"
_RANKS: dict[str, AggregatedStatus] = {
    "passing": "passing",
    "warning": "warning",
    "critical": "critical",
}
_ORDER: tuple[AggregatedStatus, ...] = ("maintenance", "critical", "warning", "passing")


def aggregated_status(checks: Iterable[HealthCheck]) -> AggregatedStatus | None:
    """The status that best represents `checks`.

    Args:
        checks: Health checks of a node and its services (as ``health.node``,
            ``health.service`` or ``health.checks`` return them).

    Returns:
        ``"maintenance"``, ``"critical"``, ``"warning"`` or ``"passing"``; None when a check has
        a status that Consul does not define.
    """
    seen: set[AggregatedStatus] = {"passing"}
    for check in checks:
        if check.check_id == NODE_MAINTENANCE or check.check_id.startswith(
            SERVICE_MAINTENANCE_PREFIX
        ):
            seen.add("maintenance")
            continue
        status = _RANKS.get(check.status)
        if status is None:
            return None
        seen.add(status)
    return next(status for status in _ORDER if status in seen)
