"""The ``services`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, holder
from consul_core.endpoints import agent_text, services
from consul_core.flows.heartbeat import Heartbeat

__all__ = ["Services"]


class Services(Namespace[D]):
    """The local agent's services: ``/v1/agent/service``."""

    register = endpoint(services.register)
    items = endpoint(services.items)
    info = endpoint(services.info)
    disable = endpoint(services.disable)
    enable = endpoint(services.enable)
    deregister = endpoint(services.deregister)
    health = endpoint(services.health)
    health_by_name = endpoint(services.health_by_name)
    health_status = endpoint(agent_text.health_status)
    health_status_by_name = endpoint(agent_text.health_status_by_name)
    heartbeat = holder(Heartbeat)
