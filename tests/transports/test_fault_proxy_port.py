"""The fault proxy keeps its port through an outage: while it refuses connections, no listener
of another process takes the port (the tests of another xdist worker start proxies and servers
on ports the kernel picks), so that what answers after the outage is this proxy, relaying to its
own agent, and not a stranger.
"""

from __future__ import annotations

import socket
import time

import pytest

from consul_transports.testing import ConsulAgent, FaultProxy
from consul_transports.testing._process import LOOPBACK


def _refused(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex((LOOPBACK, port)) != 0


def _listener(port: int, *, reuse_address: bool) -> socket.socket:
    sock = socket.socket()
    if reuse_address:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((LOOPBACK, port))
        sock.listen()
    except OSError:
        sock.close()
        raise
    return sock


def test_an_outage_refuses_connections_and_keeps_the_port_from_other_listeners() -> None:
    with socket.socket() as upstream:  # what the proxy would relay to: nothing is sent here
        upstream.bind((LOOPBACK, 0))
        upstream.listen()
        with FaultProxy(upstream.getsockname()[1]) as proxy:
            assert not _refused(proxy.port)
            proxy.refuse()
            assert _refused(proxy.port)
            for reuse_address in (False, True):  # asyncio's servers and Python's set it
                with pytest.raises(OSError), _listener(proxy.port, reuse_address=reuse_address):
                    pass
            proxy.accept()
            assert proxy.accepting
            assert not _refused(proxy.port)
        assert _refused(proxy.port)  # closed: the port is let go


def test_closing_the_proxy_after_a_client_left_a_blocking_query_takes_no_wait(
    consul_agent: ConsulAgent,
) -> None:
    # The agent holds a blocking query though the client closed its connection: the pump still
    # reading the agent's side is woken (its socket shut), so closing the proxy does not wait
    # 10 s for it.
    proxy = FaultProxy(consul_agent.http_port).__enter__()
    try:
        with socket.create_connection((LOOPBACK, proxy.port)) as client:
            # The agent answers in 60 s (the index is far ahead): the client leaves before.
            client.sendall(
                b"GET /v1/catalog/nodes?index=99999&wait=60s HTTP/1.1\r\nHost: a\r\n\r\n"
            )
            time.sleep(0.5)  # the proxy's pump then reads the agent's side (what must be woken)
        deadline = time.monotonic() + 10
        while proxy.open_now and time.monotonic() < deadline:  # the proxy saw it closed
            time.sleep(0.01)
        assert not proxy.open_now
    finally:
        started = time.monotonic()
        proxy.__exit__(None, None, None)
    assert time.monotonic() - started < 5


def test_a_proxy_cut_many_times_keeps_only_its_live_threads(consul_agent: ConsulAgent) -> None:
    # Each relayed connection runs threads of its own: a long-lived proxy kept every one it
    # ever started (an audit counted 2,100 after 200 cuts).
    with FaultProxy(consul_agent.http_port) as proxy:
        for _ in range(30):
            with socket.create_connection((LOOPBACK, proxy.port)) as client:
                client.sendall(b"GET /v1/status/leader HTTP/1.1\r\nHost: a\r\n\r\n")
                assert client.recv(65536).startswith(b"HTTP/1.1 200")
            proxy.cut()
        deadline = time.monotonic() + 10  # the cut connections' threads end (all but accept's)
        while sum(t.is_alive() for t in proxy._work._threads) > 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        with socket.create_connection((LOOPBACK, proxy.port)) as client:  # its threads start
            client.sendall(b"GET /v1/status/leader HTTP/1.1\r\nHost: a\r\n\r\n")
            assert client.recv(65536).startswith(b"HTTP/1.1 200")
            assert len(proxy._work._threads) < 10
