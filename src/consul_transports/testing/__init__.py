"""Test support: a real Consul dev agent (or a cluster of servers) for your tests, and the binary
installer behind them.

Example:
    >>> from consul_transports.testing import ConsulAgent
    >>> with ConsulAgent(acl=True) as agent:  # doctest: +SKIP
    ...     with Consul(agent.address, token=agent.master_token) as client:
    ...         client.kv.set("k", b"v")

`FaultProxy` (cut connections, refuse new ones for a while) and `ScriptedServer` (replies an
agent will not send on demand) put network faults on loopback.

The pytest plugin (``consul_transports.testing.pytest_plugin``, loaded automatically when this
package is installed) offers the session-scoped fixture ``consul_agent``.
"""

from consul_transports.testing._agent import AgentFailed, AgentTLS, ConsulAgent, free_port
from consul_transports.testing._cluster import ClusterServer, ConsulCluster
from consul_transports.testing._faults import (
    FaultProxy,
    Received,
    Reply,
    ScriptedServer,
    http_response,
)
from consul_transports.testing._install import ConsulNotAvailable, find_consul
from consul_transports.testing._mock import AsyncMockTransport, MockTransport

__all__ = [
    "AgentFailed",
    "AgentTLS",
    "AsyncMockTransport",
    "ClusterServer",
    "ConsulAgent",
    "ConsulCluster",
    "ConsulNotAvailable",
    "FaultProxy",
    "MockTransport",
    "Received",
    "Reply",
    "ScriptedServer",
    "find_consul",
    "free_port",
    "http_response",
]
