"""Streamed bodies on the async driver: `AsyncItems`, `download`, `upload` (see `_bodies.py`)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from consul_core import Call, Request, Response
from consul_core.streaming import ERROR_BODY_LIMIT
from consul_transports._async import files
from consul_transports._bodies import ItemsBase, check_file, is_path
from consul_transports._observe import Exchange
from consul_transports._streams import AsyncBody, AsyncStreamingTransport, Upload

if TYPE_CHECKING:
    from consul_transports._async.driver import AnyioDriver

__all__ = ["AsyncItems", "download", "upload"]

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

    def __init__(self, driver: AnyioDriver, exchange: Exchange[Any], head: Response) -> None:
        self._driver = driver
        self._exchange: Exchange[Any] | None = exchange
        self.head = head

    async def ended(self, error: BaseException | None = None) -> None:
        """Tell the exchange's end (the first time only): with `error`, it failed."""
        exchange, self._exchange = self._exchange, None
        if exchange is None:
            return
        if error is None:
            await self._driver.call_hooks(exchange.answered(self.head))
        else:
            await self._driver.failed(exchange, error)


async def _open(
    driver: AnyioDriver, call: Call[T], source: Any = None, *, endless: bool = False
) -> tuple[AsyncBody, T, _Report]:
    """Send the call's request (the file `source` as its body, if given) and read the head;
    the exchange is told when the caller ends the body (`_Report.ended`), an error's at once.
    """
    request, exchange = driver.observing(call)
    await driver.call_hooks(exchange.before())
    try:
        body = await _send(driver, request, source, endless)
    except BaseException as exc:
        await driver.failed(exchange, exc)
        raise
    report = _Report(driver, exchange, Response(body.status, body.headers))
    try:
        if body.status not in call.expect:
            # An error's body, read first (bounded), tells what went wrong.
            try:
                error = await _read(body, ERROR_BODY_LIMIT)
            except BaseException as exc:
                await report.ended(exc)
                raise
            report.head = Response(body.status, body.headers, error)
            await report.ended()
        try:
            result = driver.parsed(call, report.head)
        except BaseException:
            await report.ended()  # the response came (told already if an error's)
            raise
    except BaseException:
        await files.closed(body)
        raise
    return body, result, report


async def _send(driver: AnyioDriver, request: Request, source: Any, endless: bool) -> AsyncBody:
    """Send `request` through the transport: streamed when it can, else whole."""
    transport = driver.transport
    if not isinstance(transport, AsyncStreamingTransport):
        if source is not None:
            content = files.pieces(source)
            request = attrs.evolve(request, body=b"".join([piece async for piece in content]))
        return files.whole(await transport.send(request))
    if source is None:
        return await transport.open_stream(request, endless=endless)
    content = files.pieces(source)
    try:
        return await transport.open_stream(request, Upload(content, files.length(source)))
    finally:
        await content.aclose()


async def _read(body: AsyncBody, limit: int) -> bytes:
    """Up to `limit` bytes of `body`."""
    read = bytearray()
    while len(read) < limit and (piece := await body.receive()):
        read += piece
    return bytes(read[:limit])


class AsyncItems(ItemsBase[AsyncBody, V]):
    def __aiter__(self) -> AsyncItems[V]:
        return self

    async def __anext__(self) -> V:
        if not self._ready and not self._done:
            with self._stop:  # a step that `aclose` stops from another task ends quietly
                try:
                    body = self._body or await self._start()
                    while not self._ready:
                        if not self._took(body, await body.receive()):
                            await self._end()
                            break
                except BaseException as exc:
                    # Stopped by its reader (`aclose` from another task): an end, not a failure.
                    await self._end(None if self._stop.cancel_called else exc)
                    raise
        if not self._ready:
            raise StopAsyncIteration
        return self._ready.popleft()

    async def _start(self) -> AsyncBody:
        body, _, self._report = await _open(
            self._driver, self._call.call, endless=self._call.endless
        )
        self._body = body
        return body

    async def _end(self, error: BaseException | None = None) -> None:
        """Close the body, and tell how the exchange ended (with `error`: it failed)."""
        if (body := self._detached()) is not None:
            await files.closed(body)
        if self._report is not None:
            await self._report.ended(error)

    async def aclose(self) -> None:
        """Stop reading: the connection is closed (or back in the pool at the body's end);
        a step under way in another task ends at once, and closes it.
        """
        if self._stop.cancel():
            await self._end()

    async def __aenter__(self) -> AsyncItems[V]:
        if self._body is None and not self._done:
            await self._start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


async def download(driver: AnyioDriver, call: Call[T], target: Any) -> T:
    """Send the call's request, write the response's body to `target` (a path, a binary file
    or an async file) as it arrives, and return the call's result for the head. A file made
    here is removed again if the transfer fails.
    """
    check_file(target, "write")
    body, result, report = await _open(driver, call)
    try:
        if is_path(target):
            path = os.fspath(target)
            try:
                async with files.opened(path, "wb") as file:
                    await _copy(body, file)
            except BaseException:
                await files.removed(path)
                raise
        else:
            await _copy(body, target)
    except BaseException as exc:
        await files.closed(body)
        await report.ended(exc)
        raise
    await files.closed(body)
    await report.ended()
    return result


async def _copy(body: AsyncBody, target: Any) -> None:
    while piece := await body.receive():
        await files.write(target, piece)


async def upload(driver: AnyioDriver, call: Call[T], source: Any) -> T:
    """Send the call's request with `source` (a path, a binary file or an async file) as its
    body, read as it is sent, and return the call's result.
    """
    check_file(source, "read")
    if is_path(source):
        async with files.opened(os.fspath(source), "rb") as file:
            body, result, report = await _open(driver, call, file)
    else:
        body, result, report = await _open(driver, call, source)
    await files.closed(body)
    await report.ended()
    return result
