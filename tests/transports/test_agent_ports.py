"""The test agent's ports: chosen distinct, and chosen again when another process takes one
between the choice and the agent binding it (xdist workers and parallel sessions start agents
side by side).
"""

from __future__ import annotations

import socket

import pytest

from consul_transports.sync import Consul
from consul_transports.testing import ConsulAgent, _agent
from consul_transports.testing._process import LOOPBACK, free_ports


def test_ports_chosen_together_are_distinct() -> None:
    ports = free_ports(40)
    assert len(set(ports)) == 40


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
