"""TCP keep-alive on the connections to the agent, as Go's dialer sets it (``net.Dialer``'s
default: 15 s of silence, then a probe every 15 s, 9 unanswered).

An agent whose host vanishes without a word (power lost, a network cut: no RST comes) leaves a
connection that reads nothing forever. A call's deadline ends its wait, but a stream waits
without one (``agent.monitor``): with keep-alive, the kernel ends that connection after about
2.5 minutes of silence from the peer's side, and the stream's read fails. Both transports set
these options on each TCP connection (not on unix sockets); a platform without one of the
tuning options keeps its own default for it.
"""

from __future__ import annotations

import socket

__all__ = ["KEEPALIVE"]


def _options() -> tuple[tuple[int, int, int], ...]:
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    # Seconds of silence before the first probe (macOS names it TCP_KEEPALIVE), seconds
    # between probes, probes unanswered before the connection ends.
    tuning = (
        (("TCP_KEEPIDLE", "TCP_KEEPALIVE"), 15),
        (("TCP_KEEPINTVL",), 15),
        (("TCP_KEEPCNT",), 9),
    )
    for names, value in tuning:
        found = [getattr(socket, name) for name in names if hasattr(socket, name)]
        if found:
            options.append((socket.IPPROTO_TCP, found[0], value))
    return tuple(options)


KEEPALIVE = _options()
"""The socket options (level, option, value) that turn keep-alive on and tune it."""
