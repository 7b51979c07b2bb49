"""`keepalive_options`: the keep-alive options both transports set on each TCP connection,
those the kernel takes. (The conformance tests read a connection's keep-alive timer.)
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from consul_transports._keepalive import keepalive_options


@pytest.fixture
def fresh() -> Iterator[None]:
    """`keepalive_options` tried again, as by a new process, and forgotten after."""
    keepalive_options.cache_clear()
    yield
    keepalive_options.cache_clear()


@pytest.mark.usefixtures("fresh")
def test_go_dialer_timings_where_the_kernel_takes_them() -> None:
    options = keepalive_options()
    assert options[0] == (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    if hasattr(socket, "TCP_KEEPIDLE"):  # Linux, as in CI
        assert options[1:] == (
            (socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 15),
            (socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 15),
            (socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 9),
        )


@pytest.mark.usefixtures("fresh")
def test_an_option_the_kernel_refuses_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = socket.TCP_KEEPINTVL

    class Refusing(socket.socket):
        def setsockopt(self, level: int, option: int, value: Any, *rest: Any) -> None:
            if option == refused:
                raise OSError(22, "Invalid argument")
            super().setsockopt(level, option, value, *rest)

    monkeypatch.setattr(socket, "socket", Refusing)
    options = keepalive_options()
    assert (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1) in options
    assert all(option != refused for _, option, _ in options)
    assert len(options) == 3  # the two others kept


@pytest.mark.usefixtures("fresh")
def test_keep_alive_alone_without_a_socket_to_try_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_socket(*args: Any, **kwargs: Any) -> socket.socket:
        raise OSError(97, "Address family not supported by protocol")

    monkeypatch.setattr(socket, "socket", no_socket)
    assert keepalive_options() == ((socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),)
