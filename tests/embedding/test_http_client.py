"""The embedding guide's driver (examples/embedding/http_client.py: `consul_core` with the
standard library's http.client, no part of consul_transports) against the real agent: calls,
a watch, a lock's steps, refusals and an agent that cannot be reached. It is its own I/O, not
one of the project's drivers, so it runs once rather than under asyncio, trio and sync.
"""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from consul_core import ClientDefaults, ConnectError, NotFound, PermissionDenied, Timeout
from consul_core.backoff import Backoff
from consul_core.endpoints import kv
from consul_core.flows import Lock, Pacing, blocking_read, watch
from consul_transports.testing import ConsulAgent

EXAMPLE = Path(__file__).parents[2] / "examples" / "embedding" / "http_client.py"
FAST = Pacing(min_interval=0, backoff=Backoff(initial=0.05, maximum=0.2))


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("http_client_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _agent(example: ModuleType, consul_agent: ConsulAgent, token: str | None) -> Any:
    return example.Agent("127.0.0.1", consul_agent.http_port, ClientDefaults(token=token))


def test_calls_with_the_clients_token_and_typed_refusals(
    example: ModuleType, consul_agent: ConsulAgent, unique: str
) -> None:
    agent = _agent(example, consul_agent, consul_agent.master_token)
    assert agent.perform(kv.set(unique, b"hello")) is True
    entry, meta = agent.perform(kv.get(unique))
    assert (entry.key, entry.value, meta.index >= entry.modify_index) == (unique, b"hello", True)
    assert agent.perform(kv.delete(unique)) is True
    with pytest.raises(NotFound):
        agent.perform(kv.get(unique))
    stranger = _agent(example, consul_agent, "00000000-0000-0000-0000-000000000001")
    with pytest.raises(PermissionDenied) as denied:
        stranger.perform(kv.set(unique, b"x"))
    assert "00000000-0000-0000-0000-000000000001" not in str(denied.value)


def test_a_watch_hands_out_each_change(
    example: ModuleType, consul_agent: ConsulAgent, unique: str
) -> None:
    agent = _agent(example, consul_agent, consul_agent.master_token)
    agent.perform(kv.set(unique, b"first"))
    read, index, wait = blocking_read(kv.get, (unique,), {"watch": (0, "5s")})
    values = agent.iterate(watch(read, pacing=FAST, index=index, wait=wait))
    entry, _ = next(values)
    assert entry.value == b"first"
    writer = threading.Timer(0.2, lambda: agent.perform(kv.set(unique, b"second")))
    writer.start()
    started = time.monotonic()
    entry, _ = next(values)  # a blocking read, woken by the write
    writer.join()
    assert entry.value == b"second" and time.monotonic() - started < 5
    values.close()  # stops the watch
    agent.perform(kv.delete(unique))


def test_a_locks_steps(example: ModuleType, consul_agent: ConsulAgent, unique: str) -> None:
    agent = _agent(example, consul_agent, consul_agent.master_token)
    lock = Lock(unique, ttl="10s", pacing=FAST)
    agent.run(lock.open())
    agent.run(lock.acquire())
    entry, _ = agent.perform(kv.get(unique))
    assert entry.session == lock.session is not None
    agent.run(lock.close())
    entry, _ = agent.perform(kv.get(unique))
    assert entry.session is None  # released (the key stays, as Go's Unlock leaves it)
    agent.perform(kv.delete(unique))


def test_an_agent_that_cannot_be_reached_is_a_transport_error_the_flows_ride_out(
    example: ModuleType,
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # bound, never listening: connections are refused
        agent = example.Agent("127.0.0.1", port, ClientDefaults())
        with pytest.raises(ConnectError, match="cannot connect to send GET /v1/kv/k"):
            agent.perform(kv.get("k"))
        # A lock retries ConnectError until its timeout: no OSError ends it first.
        with pytest.raises(Timeout, match="within 1s") as timed_out:
            agent.run(Lock("k", pacing=FAST, timeout="1s").open())
        assert isinstance(timed_out.value.__cause__, ConnectError)
