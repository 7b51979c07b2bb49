"""Builder for the agent's version (Consul 1.16+): ``/v1/agent/version``.

Older agents answer 404; ``agent.info()`` (``/v1/agent/self``) carries the version on every
agent.
"""

from __future__ import annotations

from consul_core.call import Call
from consul_core.endpoints._common import make_call, model
from consul_core.endpoints._options import CallOptions, Unpack, builder
from consul_core.models.agent_version import AgentVersion

__all__ = ["version"]


@builder
def version(**options: Unpack[CallOptions]) -> Call[AgentVersion]:
    """Read the agent's version and build.

    Args:
        token: An ACL token for this call only (none is needed).

    Returns:
        The version.
    """
    return make_call("GET", "/v1/agent/version", model(AgentVersion), **options)
