"""The ``health`` namespace."""

from __future__ import annotations

from consul_core.endpoints import health
from consul_core.namespaces import D, Namespace, endpoint

__all__ = ["Health"]


class Health(Namespace[D]):
    """Health: ``/v1/health``."""

    node = endpoint(health.node)
    checks = endpoint(health.checks)
    service = endpoint(health.service)
    connect = endpoint(health.connect)
    ingress = endpoint(health.ingress)
    state = endpoint(health.state)
