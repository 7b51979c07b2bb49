"""pytest fixtures backed by a real Consul agent.

``consul_agent``: one dev agent per test session (per xdist worker), with ACLs on (default policy
allow) and a master token; stopped when the session ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from consul_transports.testing._agent import ConsulAgent


@pytest.fixture(scope="session")
def consul_agent() -> Iterator[ConsulAgent]:
    """A running Consul dev agent with ACLs on; ``.address`` and ``.master_token`` reach it."""
    with ConsulAgent(acl=True) as agent:
        yield agent
