"""Cluster fixtures: the session's three Consul servers, whole again after each test, and
clients of the test's flavor pointed at a follower (``nox -s cluster``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from consul_transports.testing import ConsulCluster
from tests.conftest import make_client


@pytest.fixture
def cluster(consul_cluster: ConsulCluster) -> Iterator[ConsulCluster]:
    """The session's cluster with three voters and a leader; a server the test killed is
    restarted afterwards, so that the next test finds three voters again.
    """
    consul_cluster.wait_ready()
    yield consul_cluster
    for server in consul_cluster.servers:
        if not server.running:
            consul_cluster.restart(server.index)


@pytest.fixture
def follower_client(flavor: str, anyio_backend: str, cluster: ConsulCluster) -> Any:
    """Make clients of the test's flavor on one follower (the same for the whole test):
    ``async with follower_client(**options) as client``.
    """
    follower = cluster.servers[cluster.followers()[0]]

    def make(**options: Any) -> Any:
        options.setdefault("token", cluster.master_token)
        return make_client(flavor, follower.address, **options)

    return make
