"""`ConsulCluster` itself: three real servers on distinct loopback ports, ACLs on, three voters;
a killed leader is replaced and comes back as a voter; nothing is left behind, even when the
cluster never becomes ready.
"""

from __future__ import annotations

import os
import time

import pytest

from consul_core import PermissionDenied, UsageError
from consul_transports.sync import Consul
from consul_transports.testing import AgentFailed, ConsulCluster


def test_three_servers_on_distinct_loopback_ports_with_three_voters_and_acls(
    cluster: ConsulCluster,
) -> None:
    ports = [port for server in cluster.servers for port in server.ports.values()]
    assert len(cluster.servers) == 3 and len(set(ports)) == len(ports) == 12
    assert len({server.data_dir for server in cluster.servers}) == 3
    for index in range(3):
        config = cluster.config(index)
        assert config["bind_addr"] == config["client_addr"] == "127.0.0.1"
        assert (config["server"], config["bootstrap_expect"]) == (True, 3)
        assert config["performance"] == {"raft_multiplier": 1}
        assert config["primary_datacenter"] == "dc1" and config["acl"]["enabled"]
    leader = cluster.leader()
    assert sorted([leader, *cluster.followers()]) == [0, 1, 2]
    with Consul(cluster.servers[leader].address, token=cluster.master_token) as client:
        configuration = client.operator.configuration()
        assert sum(server.voter for server in configuration.servers) == 3
    stranger = Consul(cluster.servers[leader].address, token="not-a-token")
    with stranger, pytest.raises(PermissionDenied):
        stranger.kv.keys("")


def test_a_killed_leader_is_replaced_and_comes_back_as_a_voter(cluster: ConsulCluster) -> None:
    leader = cluster.leader()
    pid = cluster.servers[leader].pid
    killed = cluster.kill(leader)
    assert not cluster.servers[leader].running and pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and reaped
    elected = cluster.wait_for_leader(timeout=30)
    election = time.monotonic() - killed
    print(f"\nelection after the leader was killed: {election:.2f} s")
    assert elected != leader
    cluster.restart(leader)
    assert cluster.servers[leader].running
    assert sorted([cluster.leader(), *cluster.followers()]) == [0, 1, 2]


def test_a_cluster_that_never_gets_ready_leaves_nothing_behind() -> None:
    # Five servers expected, three started: no leader is ever elected.
    cluster = ConsulCluster(extra_config={"bootstrap_expect": 5}, ready_timeout=3)
    with pytest.raises(AgentFailed, match="not after 3s"):
        cluster.start()
    assert len(cluster.servers) == 3
    assert not any(server.running for server in cluster.servers)
    assert not any(server.data_dir.exists() for server in cluster.servers)
    with pytest.raises(UsageError):
        ConsulCluster(0)
