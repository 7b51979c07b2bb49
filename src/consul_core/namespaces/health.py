"""The ``health`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, watcher
from consul_core.endpoints import health

__all__ = ["Health"]


class Health(Namespace[D]):
    """Health: ``/v1/health``."""

    node = endpoint(health.node)
    checks = endpoint(health.checks)
    service = endpoint(health.service)
    connect = endpoint(health.connect)
    ingress = endpoint(health.ingress)
    state = endpoint(health.state)
    watch_node = watcher(health.node)
    watch_checks = watcher(health.checks)
    watch_service = watcher(health.service)
    watch_connect = watcher(health.connect)
    watch_ingress = watcher(health.ingress)
    watch_state = watcher(health.state)
