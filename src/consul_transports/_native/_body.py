"""What the sync and async streamed bodies of the native transports share: the connection they
hold, when it goes back to the pool, and what a failure while reading is called.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Generic, TypeVar

from consul_core import Headers, Request, Timeout
from consul_transports._native._policy import broken
from consul_transports._native._sockets import SocketConnection
from consul_transports._native._wire import Exchange
from consul_transports._streams import StreamHome
from consul_transports._transport import named

__all__ = ["StreamedBody"]

C = TypeVar("C", bound=SocketConnection)


class StreamedBody(Generic[C]):
    """A response whose head has arrived and whose body is read as it comes, on a connection
    held (with its slot of the pool) until the body ends or the stream is closed.

    Attributes:
        status: The response's status.
        headers: Its headers.
    """

    def __init__(
        self,
        connection: C,
        exchange: Exchange,
        request: Request,
        timeout: float | None,
        release: Callable[[C | None], None],
        *,
        awaited: bool,
    ) -> None:
        """Take over `connection` (its head read); `timeout` bounds each wait for a piece
        (None: no bound); `release` gives the pool's slot back, with the connection to keep;
        `awaited` for the async transport's stream (see `StreamHome`).
        """
        self._connection: C | None = connection
        self._exchange = exchange
        self._request = request
        self._timeout = timeout
        self._release = release
        self._home = StreamHome(awaited=awaited)
        self.status = exchange.status
        head = exchange.head
        self.headers = Headers() if head is None else head  # not `or`: that would decode it

    def _ready(self) -> bytes | None:
        """The next piece if one is in hand (empty at the end of the body), or None when the
        socket must be read.
        """
        if self._connection is None:
            # Ended: its connection (and reader) may be carrying the next call already.
            return b""
        exchange = self._exchange
        piece = exchange.take_body()
        if exchange.complete:
            self._finish()
            return piece
        return piece or None

    def _deadline(self) -> float:
        """When the wait for the next piece ends (a monotonic time; infinity for none)."""
        timeout = self._timeout
        return math.inf if timeout is None else time.monotonic() + timeout

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A block that reads the socket for the next piece: a failure in it (a cancellation
        too: the body is unread) closes the connection, and is raised as the body's error.
        """
        try:
            yield
        except BaseException as exc:
            self._finish(failed=True)
            if isinstance(exc, TimeoutError):
                where = named(self._request)
                raise Timeout(f"the agent sent nothing of {where} for {self._timeout:g}s") from None
            if (error := broken(self._request, exc)) is None:
                raise
            raise error from exc

    def _finish(self, *, failed: bool = False) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        keep = not failed and self._exchange.reusable
        if not keep:
            connection.close()
        self._release(connection if keep else None)

    def _close(self) -> None:
        """Release the connection: back to the pool after a body read to its end, else closed."""
        self._finish(failed=not self._exchange.complete)

    def __del__(self) -> None:
        # Never closed: the slot of the pool (and of the blocking queries) would be lost.
        if getattr(self, "_connection", None) is not None:
            self._home.collected(self, partial(self._finish, failed=True))
