"""TCP keep-alive on the connections to the agent, as Go's dialer sets it (``net.Dialer``'s
default: 15 s of silence, then a probe every 15 s, 9 unanswered).

An agent whose host vanishes without a word (power lost, a network cut: no RST comes) leaves a
connection that reads nothing forever. A call's deadline ends its wait, but a stream waits
without one (``agent.monitor``): with keep-alive, the kernel ends that connection after about
2.5 minutes of silence from the peer's side, and the stream's read fails. Both transports set
these options on each TCP connection (not on unix sockets); a platform without one of the
tuning options (or whose kernel refuses it) keeps its own default for it.
"""

from __future__ import annotations

import functools
import socket

__all__ = ["keepalive_options"]


@functools.cache
def keepalive_options() -> tuple[tuple[int, int, int], ...]:
    """The socket options (level, option, value) that turn keep-alive on and tune it: those
    this platform's kernel takes, tried once on a socket of their own.
    """
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    # Seconds of silence before the first probe (macOS names it TCP_KEEPALIVE), seconds
    # between probes, probes unanswered before the connection ends.
    tuning = (
        (("TCP_KEEPIDLE", "TCP_KEEPALIVE"), 15),
        (("TCP_KEEPINTVL",), 15),
        (("TCP_KEEPCNT",), 9),
    )
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except OSError:  # no sockets to try them on: keep-alive with the kernel's timings
        return tuple(options)
    with probe:
        for names, value in tuning:
            option = next((getattr(socket, n) for n in names if hasattr(socket, n)), None)
            if option is None:
                continue
            try:
                probe.setsockopt(socket.IPPROTO_TCP, option, value)
            except OSError:  # named, but refused by this kernel: it would fail every connection
                continue
            options.append((socket.IPPROTO_TCP, option, value))
    return tuple(options)
