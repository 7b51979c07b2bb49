"""How the clients connect, under asyncio, trio and sync: the native transport races a name's
addresses as Go's dialer races them (an address that drops packets costs a call 300 ms, not its
connect timeout) and bounds the lookup by the call's timeout; a refused connection reads alike
on both transports.

No name here resolves so on its own: `socket.getaddrinfo` is made to answer for the test's
names (the resolver, not the transport, stands in), and the addresses are real sockets.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from consul_core import ConnectError, Timeout
from consul_transports.testing import ConsulAgent
from tests.conftest import make_client

Lookup = Callable[[], Any]


@contextmanager
def dropping(port: int) -> Iterator[None]:
    """``[::1]:port`` taking no connection and refusing none, as an address whose packets are
    dropped: a listener whose queue is full, and which never accepts.
    """
    listener = socket.socket(socket.AF_INET6)
    fillers: list[socket.socket] = []
    try:
        listener.bind(("::1", port))
        listener.listen(0)
        for _ in range(8):  # until one of them hangs: the queue is full
            filler = socket.socket(socket.AF_INET6)
            fillers.append(filler)
            filler.setblocking(False)
            filler.connect_ex(("::1", port))
            if not select.select([], [filler], [], 0.5)[1]:
                break
        else:
            pytest.fail("the listener's queue never filled")
        yield
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@pytest.fixture
def resolving(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Lookup], None]:
    """Make `socket.getaddrinfo` answer for one name with a function of its own."""

    def answer(name: str, lookup: Lookup) -> None:
        real = socket.getaddrinfo

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            if host not in (name, name.encode()):  # (anyio asks with the name encoded)
                return real(host, *args, **kwargs)
            flags = args[4] if len(args) > 4 else kwargs.get("flags", 0)
            if flags & socket.AI_NUMERICHOST:  # (trio asks so first, in its own thread)
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return lookup()

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    return answer


async def test_an_address_that_drops_packets_hands_over_to_the_other_family(
    flavor: str,
    anyio_backend: str,
    consul_agent: ConsulAgent,
    resolving: Callable[[str, Lookup], None],
    unique: str,
) -> None:
    port = consul_agent.http_port  # the agent listens on 127.0.0.1 only
    stream, tcp = socket.SOCK_STREAM, socket.IPPROTO_TCP
    resolving(
        "dual-stack.test",
        lambda: [
            (socket.AF_INET6, stream, tcp, "", ("::1", port, 0, 0)),
            (socket.AF_INET, stream, tcp, "", ("127.0.0.1", port)),
        ],
    )
    address = f"http://dual-stack.test:{port}"
    with dropping(port):
        # A connect timeout of 5 s: the first address alone would spend all of it.
        async with make_client(
            flavor, address, token=consul_agent.master_token, timeout=5
        ) as client:
            started = time.monotonic()
            assert await client.kv.set(f"{unique}/k", b"v") is True
            entry, _ = await client.kv.get(f"{unique}/k")
            took = time.monotonic() - started
    assert entry.value == b"v"
    assert took < 4, (
        f"{took:.2f}s"
    )  # 0.3 s for the one new connection, were the IPv6 address dropped


async def test_a_lookup_that_does_not_end_is_bounded_by_the_call_s_timeout(
    flavor: str, anyio_backend: str, resolving: Callable[[str, Lookup], None]
) -> None:
    answered = threading.Event()

    def unanswered() -> Any:
        answered.wait(10)  # a resolver that does not answer (the test ends it)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    resolving("no-answer.test", unanswered)
    try:
        async with make_client(flavor, "http://no-answer.test:8500", timeout=1) as client:
            started = time.monotonic()
            with pytest.raises(Timeout, match="cannot connect to the agent at http://no-answer"):
                await client.status.leader()
            took = time.monotonic() - started
    finally:
        answered.set()
    assert took < 3, f"{took:.2f}s"  # the lookup alone would have taken 10 s


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_refused_connection_reads_alike_everywhere(
    flavor: str, anyio_backend: str, transport: str
) -> None:
    # httpx's words differed by event loop ("All connection attempts failed" on asyncio, "all
    # attempts to connect to ... failed" on trio, the cause inside an exception group): the
    # operating system's words now, as the native transport's.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    address = f"http://127.0.0.1:{port}"
    async with make_client(flavor, address, transport=transport, timeout=5) as client:
        with pytest.raises(ConnectError) as refused:
            await client.status.leader()
    assert str(refused.value) == (
        f"cannot connect to the agent at {address} to send GET /v1/status/leader: "
        "Connection refused"
    )
