# Generated from src/consul_transports/_async/stream.py
# by scripts/unasync.py: do not edit by hand.
"""Streamed bodies on the sync driver: `Items`, `download`, `upload` (see `_bodies.py`)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from consul_core import Call, Request, Response
from consul_core.streaming import ERROR_BODY_LIMIT
from consul_transports._bodies import ItemsBase, check_file, is_path
from consul_transports._observe import Exchange
from consul_transports._streams import SyncBody, SyncStreamingTransport, Upload
from consul_transports._sync import files

if TYPE_CHECKING:
    from consul_transports._sync.driver import BlockingDriver

__all__ = ["Items", "download", "upload"]

T = TypeVar("T")
V = TypeVar("V")


class _Report:
    """The end of a streamed exchange, told once its body ended: the ``response`` hooks (and
    the request log) when it was read to its end or closed by its reader, the ``error`` hooks
    when it failed on the way, as a whole response is told when it came.

    Attributes:
        head: The response told: its status and headers (an error's body too).
    """

    __slots__ = ("_driver", "_exchange", "head")

    def __init__(self, driver: BlockingDriver, exchange: Exchange[Any], head: Response) -> None:
        self._driver = driver
        self._exchange: Exchange[Any] | None = exchange
        self.head = head

    def ended(self, error: BaseException | None = None) -> None:
        """Tell the exchange's end (the first time only): with `error`, it failed."""
        exchange, self._exchange = self._exchange, None
        if exchange is None:
            return
        if error is None:
            self._driver.call_hooks(exchange.answered(self.head))
        else:
            self._driver.failed(exchange, error)


def _open(
    driver: BlockingDriver, call: Call[T], source: Any = None, *, endless: bool = False
) -> tuple[SyncBody, T, _Report]:
    """Send the call's request (the file `source` as its body, if given) and read the head;
    the exchange is told when the caller ends the body (`_Report.ended`), an error's at once.
    """
    request, exchange = driver.observing(call)
    driver.call_hooks(exchange.before())
    try:
        body = _send(driver, request, source, endless)
    except BaseException as exc:
        driver.failed(exchange, exc)
        raise
    report = _Report(driver, exchange, Response(body.status, body.headers))
    try:
        if body.status not in call.expect:
            # An error's body, read first (bounded), tells what went wrong.
            try:
                error = _read(body, ERROR_BODY_LIMIT)
            except BaseException as exc:
                report.ended(exc)
                raise
            report.head = Response(body.status, body.headers, error)
            report.ended()
        try:
            result = driver.parsed(call, report.head)
        except BaseException:
            report.ended()  # the response came (told already if an error's)
            raise
    except BaseException:
        files.closed(body)
        raise
    return body, result, report


def _send(driver: BlockingDriver, request: Request, source: Any, endless: bool) -> SyncBody:
    """Send `request` through the transport: streamed when it can, else whole."""
    transport = driver.transport
    if not isinstance(transport, SyncStreamingTransport):
        if source is not None:
            content = files.pieces(source)
            request = attrs.evolve(request, body=b"".join(content))
        return files.whole(transport.send(request))
    if source is None:
        return transport.open_stream(request, endless=endless)
    content = files.pieces(source)
    try:
        return transport.open_stream(request, Upload(content, files.length(source)))
    finally:
        content.close()


def _read(body: SyncBody, limit: int) -> bytes:
    """Up to `limit` bytes of `body`."""
    read = bytearray()
    while len(read) < limit and (piece := body.receive()):
        read += piece
    return bytes(read[:limit])


class Items(ItemsBase[SyncBody, V]):
    def __iter__(self) -> Items[V]:
        return self

    def __next__(self) -> V:
        if not self._ready and not self._done:
            with self._stop:  # a step that `close` stops from another thread ends quietly
                try:
                    body = self._body or self._start()
                    while not self._ready:
                        if not self._took(body, body.receive()):
                            self._end()
                            break
                except BaseException as exc:
                    # Stopped by its reader (`close` from another thread): an end, not a failure.
                    self._end(None if self._stop.cancel_called else exc)
                    raise
        if not self._ready:
            raise StopIteration
        return self._ready.popleft()

    def _start(self) -> SyncBody:
        body, _, self._report = _open(self._driver, self._call.call, endless=self._call.endless)
        self._body = body
        return body

    def _end(self, error: BaseException | None = None) -> None:
        """Close the body, and tell how the exchange ended (with `error`: it failed)."""
        if (body := self._detached()) is not None:
            files.closed(body)
        if self._report is not None:
            self._report.ended(error)

    def close(self) -> None:
        """Stop reading: the connection is closed (or back in the pool at the body's end);
        a step under way in another thread ends at once, and closes it.
        """
        if self._stop.cancel():
            self._end()

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
    body, result, report = _open(driver, call)
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
    except BaseException as exc:
        files.closed(body)
        report.ended(exc)
        raise
    files.closed(body)
    report.ended()
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
            body, result, report = _open(driver, call, file)
    else:
        body, result, report = _open(driver, call, source)
    files.closed(body)
    report.ended()
    return result
