"""What the sync and async drivers share to stream bodies: the size of the pieces, the checks of
a file or path argument, the length of a file to send, the whole-body stand-in for a
transport that cannot stream, and the items of a streamed response cut as they come
(`ItemsBase`).
"""

from __future__ import annotations

import os
from collections import deque
from typing import Any, Generic, Protocol, TypeVar

from consul_core import Headers, Response, UsageError
from consul_core._codec import DecodeError
from consul_core.streaming import StreamCall
from consul_transports._stop import AnyStop

__all__ = ["PIECE", "ItemsBase", "WholeBody", "check_file", "file_length", "is_path"]

B = TypeVar("B", bound="_Head")
V = TypeVar("V")

PIECE = 65536
"""The size of the pieces a file is read in."""


def is_path(value: object) -> bool:
    """Whether `value` names a file (a `str` or an ``os.PathLike``)."""
    return isinstance(value, (str, os.PathLike))


_WANTED = {
    "write": "the target must be a file path or a binary file",
    "read": "the data must be bytes, a file path or a binary file",
}


def check_file(value: object, method: str) -> None:
    """Refuse a `value` that is neither a path nor an object with `method`: ``write`` for a
    body to receive, ``read`` for one to send.

    Raises:
        UsageError: It is neither.
    """
    if not (is_path(value) or callable(getattr(value, method, None))):
        raise UsageError(f"{_WANTED[method]}, not {type(value).__name__}")


def file_length(file: Any) -> int | None:
    """The bytes left to read in `file` when it can seek (a file, ``io.BytesIO``): its end
    less its position; else None (the body is then sent in chunks).
    """
    try:
        if not file.seekable():
            return None
        position: int = file.tell()
        end: int = file.seek(0, os.SEEK_END)
        file.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return max(0, end - position)


class WholeBody:
    """A whole response presented as a streamed one (for a transport that cannot stream).

    Attributes:
        status: The response's status.
        headers: Its headers.
    """

    def __init__(self, response: Response) -> None:
        self.status = response.status
        self.headers: Headers = response.headers
        self._body: bytes | None = response.body

    def take(self) -> bytes:
        """The body the first time, then nothing."""
        body, self._body = self._body, None
        return body or b""

    def receive(self) -> bytes:
        """The body the first time, then nothing."""
        return self.take()

    def close(self) -> None:
        """Nothing to release."""
        self._body = None


class _Head(Protocol):
    status: int
    headers: Headers


class ItemsBase(Generic[B, V]):
    """An iterator (an async one on the async clients) over the items of a streamed response,
    read in the caller's thread (the consumer's task).

    The request goes out on entering ``with`` (``async with``), or at the first step
    (``__next__``, ``__anext__``); the connection stays open between two steps. Closing it
    (`close`, `aclose`, leaving the block) closes the connection at once, as does a failed or
    cancelled step, and a step under way in another thread (task) ends at once; a body read to
    its end gives it back to the pool.
    """

    def __init__(self, driver: Any, call: StreamCall[V], stop: AnyStop) -> None:
        """Read the items of `call` with `driver` (a subclass says which); `stop` ends a step
        from another task or thread (`AsyncStop`, `Stop`).
        """
        self._driver = driver
        self._stop = stop
        self._call = call
        self._splitter = call.splitter()
        self._body: B | None = None
        self._report: Any = None  # how the exchange's end is told, once its body is open
        self._ready: deque[V] = deque()
        self._done = False

    def _took(self, body: B, piece: bytes) -> bool:
        """Cut `piece` of `body` (empty: its end) into items, ready to hand on; whether the
        body goes on.

        Raises:
            UnexpectedResponse: The body does not decode.
        """
        try:
            self._ready.extend(self._splitter.feed(piece) if piece else self._splitter.end())
        except DecodeError as error:
            failure = self._call.undecodable(body.status, body.headers, error)
        else:
            return bool(piece)
        # Raised once the decoding error is handled: its chain (a UnicodeDecodeError, say) holds
        # the body's bytes, so it must not be the context.
        raise failure

    def _detached(self) -> B | None:
        """End the iteration for good; the body to close, if one is open."""
        self._done = True
        body, self._body = self._body, None
        return body
