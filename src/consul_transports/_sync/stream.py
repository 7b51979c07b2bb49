# Generated from src/consul_transports/_async/stream.py
# by scripts/unasync.py: do not edit by hand.
"""Streamed bodies on the sync driver: the items of a streamed response (`Items`), a
response body written to a file as it arrives (`download`) and a request body read from one as
it is sent (`upload`).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from consul_core import Call, Request, Response, ResponseError
from consul_core._codec import DecodeError
from consul_core.streaming import ERROR_BODY_LIMIT, StreamCall
from consul_transports._bodies import check_file, is_path
from consul_transports._streams import SyncBody, SyncStreamingTransport
from consul_transports._sync import files

if TYPE_CHECKING:
    from consul_transports._sync.driver import BlockingDriver

__all__ = ["Items", "download", "upload"]

T = TypeVar("T")
V = TypeVar("V")


def _open(
    driver: BlockingDriver,
    call: Call[T],
    *,
    content: Iterator[bytes] | None = None,
    length: int | None = None,
    endless: bool = False,
) -> tuple[SyncBody, T]:
    """Send the call's request and read the response's head: the body to read, and the call's
    result for the head.

    Raises:
        ResponseError: An error status (its body read first, bounded).
    """
    request = driver.defaults.apply(call.request)
    exchange = driver.observer.start(request)
    if exchange is not None:
        for hook, args in exchange.before():
            hook(*args)
    try:
        body = _send(driver, request, content, length, endless)
    except BaseException as exc:
        if exchange is not None:
            for hook, args in exchange.failed(exc):
                hook(*args)
        raise
    try:
        if exchange is not None:
            for hook, args in exchange.answered(Response(body.status, body.headers)):
                hook(*args)
        error_body = b""
        if body.status not in call.expect:
            error_body = _read_bounded(body, ERROR_BODY_LIMIT)
        result = call.parse(Response(body.status, body.headers, error_body))
    except BaseException as exc:
        files.closed(body)
        if isinstance(exc, ResponseError):
            driver.defaults.redact(exc)
        raise
    return body, result


def _send(
    driver: BlockingDriver,
    request: Request,
    content: Iterator[bytes] | None,
    length: int | None,
    endless: bool,
) -> SyncBody:
    """Send `request` through the transport: streamed when it can, else whole."""
    transport = driver.transport
    if isinstance(transport, SyncStreamingTransport):
        return transport.open_stream(
            request, content=content, content_length=length, endless=endless
        )
    if content is not None:
        request = attrs.evolve(request, body=b"".join(content))
    return files.whole(transport.send(request))


def _read_bounded(body: SyncBody, limit: int) -> bytes:
    pieces: list[bytes] = []
    size = 0
    while size < limit and (piece := body.receive()):
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)[:limit]


class Items(Generic[V]):
    """An iterator over the items of a streamed response, read in the caller's thread.

    The request goes out on entering ``with`` (or at the first ``__next__``); the
    connection stays open between two ``__next__``. `close` (or leaving ``with``)
    closes it at once, as does a failed ``__next__``; a body read to its end
    gives it back to the pool.
    """

    def __init__(self, driver: BlockingDriver, call: StreamCall[V]) -> None:
        self._driver = driver
        self._call = call
        self._splitter = call.splitter()
        self._body: SyncBody | None = None
        self._ready: deque[V] = deque()
        self._done = False

    def __iter__(self) -> Items[V]:
        return self

    def __next__(self) -> V:
        ready = self._ready
        if ready:
            return ready.popleft()
        if self._done:
            raise StopIteration
        try:
            body = self._body or self._start()
            while not ready:
                piece = body.receive()
                if not piece:
                    ready.extend(self._split(body, None))
                    self.close()
                    break
                ready.extend(self._split(body, piece))
        except BaseException:
            self.close()
            raise
        if not ready:
            raise StopIteration
        return ready.popleft()

    def _start(self) -> SyncBody:
        body, _ = _open(self._driver, self._call.call, endless=self._call.endless)
        self._body = body
        return body

    def _split(self, body: SyncBody, piece: bytes | None) -> list[V]:
        try:
            return self._splitter.end() if piece is None else self._splitter.feed(piece)
        except DecodeError as error:
            raise self._call.undecodable(body.status, body.headers, error) from None

    def close(self) -> None:
        """Stop reading: the connection is closed (or back in the pool at the body's end)."""
        self._done = True
        body, self._body = self._body, None
        if body is not None:
            files.closed(body)

    def __enter__(self) -> Items[V]:
        if self._body is None and not self._done:
            self._start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def download(driver: BlockingDriver, call: Call[T], target: Any) -> T:
    """Send the call's request, write the response's body to `target` (a path or a binary
    file) as it arrives, and return the call's result for the head. A file made
    here is removed again if the transfer fails.
    """
    check_file(target, "write")
    body, result = _open(driver, call)
    try:
        if is_path(target):
            path = os.fspath(target)
            try:
                with files.opened(path, "wb") as file:
                    _copy(body, file)
            except BaseException:
                files.removed(path)
                raise
        else:
            _copy(body, target)
    finally:
        files.closed(body)
    return result


def _copy(body: SyncBody, target: Any) -> None:
    while piece := body.receive():
        files.write(target, piece)


def upload(driver: BlockingDriver, call: Call[T], source: Any) -> T:
    """Send the call's request with `source` (a path or a binary file) as its
    body, read as it is sent, and return the call's result.
    """
    check_file(source, "read")
    if is_path(source):
        with files.opened(os.fspath(source), "rb") as file:
            return _upload(driver, call, file)
    return _upload(driver, call, source)


def _upload(driver: BlockingDriver, call: Call[T], source: Any) -> T:
    content = files.pieces(source)
    try:
        body, result = _open(driver, call, content=content, length=files.length(source))
    finally:
        content.close()
    files.closed(body)
    return result
