"""pytest fixtures backed by a real Consul agent.

``consul_agent``: one dev agent per test session (per xdist worker), with ACLs on (default policy
allow) and a master token; stopped when the session ends.

``consul_cluster``: three Consul servers per test session (per xdist worker), with ACLs on and a
master token, started only when a test asks for it; stopped when the session ends. A test that
kills a server should restart it (`ConsulCluster.restart`) so that the next finds three voters.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from consul_transports.testing._agent import ConsulAgent
from consul_transports.testing._cluster import ConsulCluster


@pytest.fixture(scope="session")
def consul_agent() -> Iterator[ConsulAgent]:
    """A running Consul dev agent with ACLs on; ``.address`` and ``.master_token`` reach it."""
    with ConsulAgent(acl=True) as agent:
        yield agent


@pytest.fixture(scope="session")
def consul_cluster() -> Iterator[ConsulCluster]:
    """A running cluster of three Consul servers with ACLs on; ``.servers[i].address`` and
    ``.master_token`` reach it.
    """
    with ConsulCluster() as cluster:
        yield cluster
