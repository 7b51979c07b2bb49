"""The fault proxy keeps its port through an outage: while it refuses connections, no listener
of another process takes the port (the tests of another xdist worker start proxies and servers
on ports the kernel picks), so that what answers after the outage is this proxy, relaying to its
own agent, and not a stranger.
"""

from __future__ import annotations

import socket

import pytest

from consul_transports.testing import FaultProxy
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
