"""The local agent itself on the real agent, under asyncio, trio and sync.

`leave` shuts its agent down, so it runs on a private client agent joined to a private server.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from consul_core import NotFound, PermissionDenied
from consul_core.models.agent import AgentInfo, MemberStatus
from consul_transports.testing import ConsulAgent
from tests.integration.waiting import members_settle

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture
def server_and_client(tmp_path: Path) -> Iterator[tuple[ConsulAgent, ConsulAgent]]:
    """A private dev server and a client agent that joined it (a client leaves in seconds)."""
    with ConsulAgent() as server:
        serf_lan = server.config()["ports"]["serf_lan"]
        client_config = {
            "server": False,
            "data_dir": str(tmp_path),
            "retry_join": [f"127.0.0.1:{serf_lan}"],
        }
        with ConsulAgent(extra_config=client_config) as client_agent:
            yield server, client_agent


async def test_info(client: Any, consul_agent: ConsulAgent) -> None:
    info = await client.agent.info()
    assert isinstance(info, AgentInfo)
    assert (info.config.node_name, info.config.datacenter) == (consul_agent.node_name, "dc1")
    assert info.config.server is True and info.config.version == "1.8.7"
    assert info.member.name == consul_agent.node_name
    assert info.member.status == MemberStatus.ALIVE
    assert info.member.tags["role"] == "consul"
    assert info.coord is not None and len(info.coord.vec) == 8
    assert info.stats["consul"]["acl"] == "enabled"
    assert info.debug_config["ACLsEnabled"] is True


async def test_node_maintenance(client: Any) -> None:
    assert await client.agent.disable(reason="migrating") is True
    try:
        check = (await client.checks.items())["_node_maintenance"]
        assert (check.status, check.notes) == ("critical", "migrating")
    finally:
        assert await client.agent.enable(reason="migration done") is True
    assert "_node_maintenance" not in await client.checks.items()


async def test_reload_metrics_and_host(client: Any) -> None:
    assert await client.agent.reload() is True
    metrics = await client.agent.metrics()
    started = datetime.strptime(metrics.timestamp, "%Y-%m-%d %H:%M:%S %z UTC")
    assert abs(datetime.now(timezone.utc) - started) < timedelta(minutes=5)
    # Which metrics an interval holds depends on what happened in it: not on which ones.
    names = [m.name for m in [*metrics.gauges, *metrics.counters, *metrics.samples]]
    assert names and all(name.startswith("consul.") for name in names)
    host = await client.agent.host()
    assert host.host["hostname"] and host.host["os"] == "linux"
    assert host.memory["total"] > 0 and host.cpu and host.collection_time > 0


async def test_update_token_sets_the_default_token(
    client: Any, new_client: Any, consul_agent: ConsulAgent
) -> None:
    async with new_client(token=None) as anonymous:
        assert await client.agent.update_token("default", BOGUS_TOKEN) is True
        try:
            # Requests without a token now carry the default one, which Consul does not know.
            with pytest.raises(PermissionDenied):
                await anonymous.agent.info()
        finally:
            assert await client.agent.update_token("default", "") is True
        assert (await anonymous.agent.info()).config.node_name == consul_agent.node_name
    # Every other kind, set back to what the shared agent was started with.
    for kind in ("agent", "acl_agent_token"):
        assert await client.agent.update_token(kind, consul_agent.master_token) is True
    for kind in (
        "agent_master",
        "replication",
        "acl_token",
        "acl_agent_master_token",
        "acl_replication_token",
    ):
        assert await client.agent.update_token(kind, "") is True


async def test_token_kinds_newer_than_the_agent_are_not_found(client: Any) -> None:
    # Consul 1.11 added agent_recovery (agent_master's new name), 1.15
    # config_file_service_registration, 1.18 dns: the client sends them, and 1.8.7 answers
    # 404 'Token "<kind>" is unknown', as its docstring says.
    for kind in ("agent_recovery", "config_file_service_registration", "dns"):
        with pytest.raises(NotFound, match=f'Token "{kind}" is unknown'):
            await client.agent.update_token(kind, "")


async def test_a_token_without_rights_is_denied(new_client: Any) -> None:
    async with new_client(token=BOGUS_TOKEN) as denied:
        with pytest.raises(PermissionDenied):
            await denied.agent.info()
        with pytest.raises(PermissionDenied):
            await denied.agent.disable(reason="nope")


async def test_leave_then_force_leave_prunes_the_member(
    new_client: Any, server_and_client: tuple[ConsulAgent, ConsulAgent]
) -> None:
    server, leaving = server_and_client
    async with new_client(address=server.address) as on_server:
        async with new_client(address=leaving.address, timeout=30) as on_leaving:
            assert await on_leaving.agent.leave() is True
        # Left; or, on a machine too busy for the leave's gossip to reach the server in time
        # (a CI run saw it fail so, with eight test workers on two cores), failed once its
        # probes went unanswered: either way gone, which force-leave then prunes.
        gone = {MemberStatus.LEFT, MemberStatus.FAILED}
        settled = await members_settle(
            on_server,
            lambda states: (
                states.keys() == {server.node_name, leaving.node_name}
                and states[server.node_name] == MemberStatus.ALIVE
                and states[leaving.node_name] in gone
            ),
        )
        assert settled, {m.name: m.status for m in await on_server.members.items()}
        assert await on_server.members.force_leave(leaving.node_name, prune=True) is True
        assert await members_settle(on_server, lambda states: list(states) == [server.node_name])
