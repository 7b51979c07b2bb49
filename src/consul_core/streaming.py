"""Calls whose response body is read as it arrives: `StreamCall`, and the splitters that cut a
body into items (log lines, JSON documents) piece by piece.

Rules:
- A `StreamCall` is a `Call` whose response is parsed in two steps: its head (status and
  headers, with an empty body) by the `Call`, which maps an error status to its typed error
  (a driver reads the error's body first, bounded by `ERROR_BODY_LIMIT`), then its body, piece
  by piece, by a splitter made for the stream.
- A splitter holds at most one unfinished item (a line not ended yet), bounded by its
  `max_item` size: a longer one is an `UnexpectedResponse`, never unbounded memory.
- An ``endless`` stream (the agent's log, its metrics) lasts for as long as its consumer reads:
  a transport counts it among the blocking queries of its connection budget, and waits for its
  next piece without a time bound. Other streams (a snapshot) bound each wait instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeAlias, TypeVar

import attrs

from consul_core._codec import DecodeError
from consul_core.call import Call
from consul_core.errors import UnexpectedResponse
from consul_core.http import Headers, Request, Response

if TYPE_CHECKING:
    import os

__all__ = [
    "ERROR_BODY_LIMIT",
    "AsyncBinarySink",
    "AsyncBinarySource",
    "AsyncSink",
    "AsyncSource",
    "BinarySink",
    "BinarySource",
    "JsonDocuments",
    "Lines",
    "Sink",
    "Source",
    "Splitter",
    "StreamCall",
]

T = TypeVar("T")

ERROR_BODY_LIMIT = 65536
"""The most bytes of an error reply's body a driver reads before raising its error."""
_MAX_ITEM = 1 << 20


class BinarySink(Protocol):
    """Where a streamed body goes: a binary file open for writing, or any object with
    ``write(bytes)``.
    """

    def write(self, data: bytes, /) -> object:
        """Write `data`."""
        ...


class BinarySource(Protocol):
    """Where a streamed request body comes from: a binary file open for reading, or any object
    with ``read(size) -> bytes`` (empty at the end).
    """

    def read(self, size: int, /) -> bytes:
        """Read up to `size` bytes."""
        ...


class AsyncBinarySink(Protocol):
    """An async `BinarySink` (``anyio.AsyncFile``, ...)."""

    async def write(self, data: bytes, /) -> object:
        """Write `data`."""
        ...


class AsyncBinarySource(Protocol):
    """An async `BinarySource` (``anyio.AsyncFile``, ...)."""

    async def read(self, size: int, /) -> bytes:
        """Read up to `size` bytes."""
        ...


Sink: TypeAlias = "str | os.PathLike[str] | BinarySink"
"""A file path (created or truncated) or a binary file to write a body to."""
Source: TypeAlias = "str | os.PathLike[str] | BinarySource"
"""A file path or a binary file to read a request body from."""
AsyncSink: TypeAlias = "str | os.PathLike[str] | BinarySink | AsyncBinarySink"
"""What async clients write a body to: `Sink`, or an async file."""
AsyncSource: TypeAlias = "str | os.PathLike[str] | BinarySource | AsyncBinarySource"
"""What async clients read a request body from: `Source`, or an async file."""


class Splitter(Protocol[T]):
    """Cuts a body into items as its pieces arrive."""

    def feed(self, piece: bytes) -> list[T]:
        """Take the next piece of the body; return the items it completed.

        Raises:
            DecodeError: An item does not decode, or grew past the splitter's bound.
        """
        ...

    def end(self) -> list[T]:
        """The body ended: return the items left (an unfinished last line is one).

        Raises:
            DecodeError: The last item does not decode.
        """
        ...


class Lines(Generic[T]):
    """A splitter of newline-separated items, each decoded by `decode` (empty lines skipped).

    Args:
        decode: Turns one line (without its newline) into an item.
        max_item: The longest line accepted, in bytes.
    """

    __slots__ = ("_decode", "_max", "_partial")

    def __init__(self, decode: Callable[[bytes], T], max_item: int = _MAX_ITEM) -> None:
        self._decode = decode
        self._max = max_item
        self._partial = b""

    def feed(self, piece: bytes) -> list[T]:
        """Take the next piece of the body; return the items of the lines it completed."""
        data = self._partial + piece if self._partial else piece
        *lines, self._partial = data.split(b"\n")
        if len(self._partial) > self._max:
            raise DecodeError(f"a line of the stream is longer than {self._max} bytes")
        return [self._decode(line) for line in lines if line.strip()]

    def end(self) -> list[T]:
        """The body ended: the item of an unfinished last line, if any."""
        last, self._partial = self._partial, b""
        return [self._decode(last)] if last.strip() else []


class JsonDocuments(Generic[T]):
    """A splitter of JSON objects written one after the other by Go's indenting encoder
    (``json.Encoder`` with ``SetIndent``): an object ends at a line that is ``}`` alone, since
    the lines inside it are indented and JSON strings hold no raw newline.

    Args:
        decode: Turns one JSON document into an item.
        max_item: The largest document accepted, in bytes.
    """

    __slots__ = ("_decode", "_lines", "_lines_of", "_max", "_size")

    def __init__(self, decode: Callable[[bytes], T], max_item: int = _MAX_ITEM) -> None:
        self._lines: list[bytes] = []
        self._size = 0
        self._max = max_item
        self._lines_of = Lines(self._line, max_item)
        self._decode = decode

    def _line(self, line: bytes) -> T | None:
        self._lines.append(line)
        self._size += len(line) + 1
        if self._size > self._max:
            raise DecodeError(f"a document of the stream is larger than {self._max} bytes")
        if line.rstrip() != b"}":
            return None
        document = b"\n".join(self._lines)
        self._lines.clear()
        self._size = 0
        return self._decode(document)

    def feed(self, piece: bytes) -> list[T]:
        """Take the next piece of the body; return the documents it completed."""
        return [item for item in self._lines_of.feed(piece) if item is not None]

    def end(self) -> list[T]:
        """The body ended: a document cut short is an error."""
        done = [item for item in self._lines_of.end() if item is not None]
        if self._lines:
            raise DecodeError("the stream ended in the middle of a JSON document")
        return done


@attrs.frozen
class StreamCall(Generic[T]):
    """A request whose response body is read piece by piece and cut into items.

    Attributes:
        call: The request, and the parsing of the response's head: its status (an error
            status raises the endpoint's typed error) and headers.
        splitter: Makes the splitter of one response's body.
        endless: Whether the body goes on for as long as the consumer reads (no time bound
            between two pieces; the connection counts as a blocking query's).
    """

    call: Call[Any]
    splitter: Callable[[], Splitter[T]]
    endless: bool = True

    @property
    def request(self) -> Request:
        """The request to send."""
        return self.call.request

    def check(self, status: int, headers: Headers, error_body: bytes = b"") -> None:
        """Check the response's head: raise the endpoint's error for an error status.

        Args:
            status: The response's status.
            headers: Its headers.
            error_body: For an error status, the start of its body (bounded by
                `ERROR_BODY_LIMIT`).

        Raises:
            ResponseError: The status is an error (the typed error `Call.parse` raises).
        """
        self.call.parse(Response(status, headers, error_body))

    def undecodable(self, status: int, headers: Headers, error: DecodeError) -> UnexpectedResponse:
        """The error for an item of the body that does not decode."""
        return UnexpectedResponse(
            self.request,
            Response(status, headers),
            f"the stream does not have the documented shape: {error}",
        )
