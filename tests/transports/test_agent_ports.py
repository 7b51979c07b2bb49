"""The test agent's ports: chosen distinct and below the ephemeral range, chosen again when
another process takes one between the choice and the agent binding it (xdist workers and
parallel sessions start agents side by side), and waited for when a restart finds its HTTP port
held (its other ports are chosen afresh).
"""

from __future__ import annotations

import socket
from typing import Any

import pytest

from consul_transports.sync import Consul
from consul_transports.testing import ConsulAgent, _agent
from consul_transports.testing._process import LOOPBACK, free_ports


def test_ports_chosen_together_are_distinct_and_below_the_ephemeral_range() -> None:
    ports = free_ports(40)
    assert len(set(ports)) == 40
    with socket.socket() as outgoing:  # the kernel picks an ephemeral port for this one
        outgoing.bind((LOOPBACK, 0))
        ephemeral = outgoing.getsockname()[1]
    assert max(ports) < ephemeral


def test_a_port_taken_before_the_agent_binds_it_is_chosen_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as squatter:
        squatter.bind((LOOPBACK, 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        choices: list[list[int]] = []

        def first_choice_taken(count: int, host: str = LOOPBACK) -> list[int]:
            ports = free_ports(count, host)
            if not choices:
                ports[0] = taken  # the HTTP port
            choices.append(ports)
            return ports

        monkeypatch.setattr(_agent, "free_ports", first_choice_taken)
        with ConsulAgent() as agent, Consul(agent.address) as client:
            assert client.status.leader()
            assert len(choices) == 2
            assert agent.http_port == choices[1][0] != taken


def test_a_restart_waits_for_its_port_held_a_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    with ConsulAgent() as agent:
        port = agent.http_port
        agent.stop()
        squatter = socket.socket()
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind((LOOPBACK, port))
        squatter.listen()
        tries: list[bool] = []
        start_on_ports = agent._start_on_ports

        def first_try_finds_the_port_held(binary: Any) -> ConsulAgent:
            try:
                return start_on_ports(binary)
            except _agent.AgentFailed:
                tries.append(False)
                squatter.close()  # let go of it while the agent waits to try again
                raise

        monkeypatch.setattr(agent, "_start_on_ports", first_try_finds_the_port_held)
        agent.start()
        assert tries == [False]
        assert agent.http_port == port
        with Consul(agent.address) as client:
            assert client.status.leader()


def test_a_restart_keeps_its_http_port_and_chooses_the_others_afresh() -> None:
    # Another process's agent may take one of the Serf or server ports while this one is down
    # (a CI run failed so): only the HTTP port, which clients know, is kept.
    with ConsulAgent() as agent:
        port, serf = agent.http_port, agent._ports["serf_lan"]
        agent.stop()
        with socket.socket() as squatter:
            squatter.bind((LOOPBACK, serf))
            squatter.listen()
            agent.start()
            assert agent.http_port == port and agent._ports["serf_lan"] != serf
            with Consul(agent.address) as client:
                assert client.status.leader()
