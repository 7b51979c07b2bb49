"""The ``agent`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, streamed
from consul_core.endpoints import agent, agent_stream, agent_text, agent_version

__all__ = ["Agent"]


class Agent(Namespace[D]):
    """The local agent: ``/v1/agent``."""

    info = endpoint(agent.info)
    disable = endpoint(agent.disable)
    enable = endpoint(agent.enable)
    reload = endpoint(agent.reload)
    leave = endpoint(agent.leave)
    metrics = endpoint(agent.metrics)
    host = endpoint(agent.host)
    update_token = endpoint(agent.update_token)
    version = endpoint(agent_version.version)
    metrics_prometheus = endpoint(agent_text.metrics_prometheus)
    monitor = streamed(agent_stream.monitor)
    monitor_json = streamed(agent_stream.monitor_json)
    metrics_stream = streamed(agent_stream.metrics_stream)
