"""The async native connection's early read: after sending, it lets the other tasks run and
reads before waiting; a miss pauses early reads for a number of calls that doubles with each
miss in a row, and a hit ends the pause. Either way the response is read whole.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import anyio
import pytest

from consul_transports._native._async import _Connection

pytestmark = pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])

REQUEST = b"GET /v1/kv/k HTTP/1.1\r\nHost: agent\r\n\r\n"
REPLY = b"HTTP/1.1 200 OK\r\nX-Consul-Index: 7\r\nContent-Length: 4\r\n\r\ntrue"


@pytest.fixture
def pair() -> Iterator[tuple[_Connection, socket.socket]]:
    client, agent = socket.socketpair()
    agent.settimeout(10)
    connection = _Connection(client)
    yield connection, agent
    connection.close()
    agent.close()


async def _call(
    connection: _Connection, agent: socket.socket, *, answered: bool, held: bool = False
) -> None:
    """One request: `answered`, the reply is there before the request is sent; else the agent
    answers only after a pause, so the early read finds nothing. `held`: a blocking query.
    """
    if answered:
        agent.sendall(REPLY)

    async def late_agent() -> None:
        await anyio.wait_readable(agent)
        assert agent.recv(1024) == REQUEST
        await anyio.sleep(0.05)
        agent.sendall(REPLY)

    exchange = connection.exchange.begin(REQUEST)
    async with anyio.create_task_group() as group:
        if not answered:
            group.start_soon(late_agent)
        await connection.run(exchange, time.monotonic() + 10, held=held)
    if answered:
        assert agent.recv(1024) == REQUEST
    response = exchange.response()
    assert (response.status, response.body) == (200, b"true")
    assert exchange.reusable


async def test_misses_pause_early_reads_and_a_hit_ends_the_pause(
    anyio_backend: str, pair: tuple[_Connection, socket.socket]
) -> None:
    connection, agent = pair
    assert (connection._paused, connection._pause) == (0, 1)
    await _call(connection, agent, answered=True)  # a hit: no pause
    assert (connection._paused, connection._pause) == (0, 1)
    await _call(connection, agent, answered=False)  # a miss: pause one call
    assert (connection._paused, connection._pause) == (1, 2)
    await _call(connection, agent, answered=True)  # paused: waits, reads the same
    assert (connection._paused, connection._pause) == (0, 2)
    await _call(connection, agent, answered=False)  # a second miss in a row: two calls
    assert (connection._paused, connection._pause) == (2, 4)
    for _ in range(2):
        await _call(connection, agent, answered=False)
    assert (connection._paused, connection._pause) == (0, 4)
    await _call(connection, agent, answered=True)  # a hit: back to the shortest pause
    assert (connection._paused, connection._pause) == (0, 1)


async def test_blocking_queries_neither_read_early_nor_count(
    anyio_backend: str, pair: tuple[_Connection, socket.socket]
) -> None:
    connection, agent = pair
    await _call(connection, agent, answered=False, held=True)
    assert (connection._paused, connection._pause) == (0, 1)
    await _call(connection, agent, answered=False)
    assert (connection._paused, connection._pause) == (1, 2)
    await _call(connection, agent, answered=False, held=True)
    assert (connection._paused, connection._pause) == (1, 2)


async def test_the_pause_stops_doubling_at_64_calls(
    anyio_backend: str, pair: tuple[_Connection, socket.socket]
) -> None:
    connection, agent = pair
    connection._pause = 64
    await _call(connection, agent, answered=False)
    assert (connection._paused, connection._pause) == (64, 64)
