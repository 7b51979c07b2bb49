"""The streaming seam: transports that can hand a response's body on as it arrives, and send a
request body as it is read (an `Upload`), implement these protocols besides `send`.

A streamed response holds its connection (and its slot of the pool) until it is closed: read
to its end, the connection goes back to the pool; closed earlier, the connection is closed.
One never closed (left by a ``break`` out of a bare ``for``, with no ``with``) gives them back
when it is collected, with a `ResourceWarning`, as a socket does: none is lost for the life of
the client (`StreamHome`: an awaited stream's in the thread of its event loop, a blocking
stream's in a thread of its own, wherever the collector finds it).
A transport without them still works: the drivers then fall back on `send` (the whole body in
memory).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import AsyncIterable, Callable, Iterable
from typing import Generic, Protocol, TypeVar, runtime_checkable

import attrs

from consul_core import Headers, Request
from consul_transports._event_loop import scheduler

__all__ = [
    "AsyncBody",
    "AsyncStreamingTransport",
    "AsyncUpload",
    "StreamHome",
    "SyncBody",
    "SyncStreamingTransport",
    "SyncUpload",
    "Upload",
    "chunk_frame",
]

CHUNKED = "Transfer-Encoding: chunked"
LAST_CHUNK = b"0\r\n\r\n"


def chunk_frame(piece: bytes) -> bytes:
    """One piece of a chunked request body, framed."""
    return b"%x\r\n%b\r\n" % (len(piece), piece)


class StreamHome:
    """Where a stream gives its connection back when the garbage collector finds it unclosed:
    - an awaited stream, in the thread of the event loop it was opened in: the async pools count
      their connections with anyio's semaphores, which are not thread-safe (released from
      another thread, a task waiting for a connection would wake late on asyncio, and trio would
      refuse, the connection lost for the life of the client);
    - a blocking stream, in a thread of its own, whatever loop runs where it was opened: the
      collector may run in a thread that holds the blocking pool's lock (at any allocation
      there), which is not reentrant.
    """

    __slots__ = ("_schedule", "_thread")

    def __init__(self, *, awaited: bool) -> None:
        """Note, for an `awaited` stream, the calling thread and its running event loop
        (asyncio's or trio's).
        """
        self._thread = threading.get_ident() if awaited else None
        self._schedule = scheduler() if awaited else None

    def collected(self, body: object, release: Callable[[], object]) -> None:
        """Say that `body`, a streamed response never closed, was collected, and run `release`
        (its connection and its slot given back) at home.
        """
        if self._thread is None:  # a blocking stream: not in this thread (see above)
            try:
                threading.Thread(target=release, name="consul-stream-release", daemon=True).start()
            except RuntimeError:  # the interpreter is shutting down: no thread waits any more
                release()
        elif self._schedule is None or threading.get_ident() == self._thread:
            release()
        else:
            try:
                self._schedule(release)
            except RuntimeError:  # the loop has ended: no task waits for the connection any more
                release()
        warnings.warn(
            f"{body!r} was never closed: its connection was released when it was collected "
            "(read a stream inside `with` / `async with`)",
            ResourceWarning,
            source=body,
            stacklevel=3,
        )


class SyncBody(Protocol):
    """A response whose body is read as it arrives (blocking)."""

    status: int
    headers: Headers

    def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        ...

    def close(self) -> None:
        """Release the connection (closed unless the body was read to its end)."""
        ...


class AsyncBody(Protocol):
    """A response whose body is read as it arrives (async)."""

    status: int
    headers: Headers

    async def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        ...

    async def aclose(self) -> None:
        """Release the connection (closed unless the body was read to its end)."""
        ...


Pieces_co = TypeVar("Pieces_co", bound=Iterable[bytes] | AsyncIterable[bytes], covariant=True)


@attrs.frozen
class Upload(Generic[Pieces_co]):
    """A request body sent as it is read: its pieces and, when known, its length.

    Attributes:
        pieces: The body, piece by piece (an iterable of bytes; an async one on the async
            side), read once.
        length: The body's length in bytes, announced by ``Content-Length``; None when it is
            unknown, and the body is then sent in chunks (``Transfer-Encoding: chunked``).
    """

    pieces: Pieces_co
    length: int | None = None


SyncUpload = Upload[Iterable[bytes]]
"""A request body read piece by piece from an iterable (`Upload`)."""

AsyncUpload = Upload[AsyncIterable[bytes]]
"""A request body read piece by piece from an async iterable (`Upload`)."""


@runtime_checkable
class SyncStreamingTransport(Protocol):
    """A blocking transport that streams bodies."""

    def open_stream(
        self, request: Request, upload: SyncUpload | None = None, *, endless: bool = False
    ) -> SyncBody:
        """Send `request` and return the response once its head has arrived; its body is
        then read as it comes, and the response holds its connection until it is closed.

        Args:
            request: The request; its own `body` is sent unless `upload` is given.
            upload: A body sent as it is read, instead of the request's (its pieces are read
                once: a transport must not send it twice).
            endless: The response's body lasts for as long as the consumer reads: the request
                counts as a blocking query, and no time bounds the wait for a piece of it.
                Otherwise each wait (connecting, sending, each piece) is bounded by the
                request's timeout.

        Returns:
            The response, its body unread.

        Raises:
            ConnectError: No connection could be made.
            Timeout: A wait took longer than the request's timeout.
            TransportError: The connection broke or the response was not valid HTTP.
        """
        ...


@runtime_checkable
class AsyncStreamingTransport(Protocol):
    """An async transport that streams bodies."""

    async def open_stream(
        self, request: Request, upload: AsyncUpload | None = None, *, endless: bool = False
    ) -> AsyncBody:
        """As `SyncStreamingTransport.open_stream`."""
        ...
