"""Streamed bodies on the async driver: the items of a streamed response (`AsyncItems`), a
response body written to a file as it arrives (`download`) and a request body read from one as
it is sent (`upload`).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from consul_core import Call, Request, Response, ResponseError
from consul_core._codec import DecodeError
from consul_core.streaming import ERROR_BODY_LIMIT, StreamCall
from consul_transports._async import files
from consul_transports._bodies import check_file, is_path
from consul_transports._streams import AsyncBody, AsyncStreamingTransport

if TYPE_CHECKING:
    from consul_transports._async.driver import AnyioDriver

__all__ = ["AsyncItems", "download", "upload"]

T = TypeVar("T")
V = TypeVar("V")


async def _open(
    driver: AnyioDriver,
    call: Call[T],
    *,
    content: AsyncIterator[bytes] | None = None,
    length: int | None = None,
    endless: bool = False,
) -> tuple[AsyncBody, T]:
    """Send the call's request and read the response's head: the body to read, and the call's
    result for the head.

    Raises:
        ResponseError: An error status (its body read first, bounded).
    """
    request = driver.defaults.apply(call.request)
    exchange = driver.observer.start(request)
    if exchange is not None:
        for hook, args in exchange.before():
            await hook(*args)
    try:
        body = await _send(driver, request, content, length, endless)
    except BaseException as exc:
        if exchange is not None:
            for hook, args in exchange.failed(exc):
                await hook(*args)
        raise
    try:
        if exchange is not None:
            for hook, args in exchange.answered(Response(body.status, body.headers)):
                await hook(*args)
        error_body = b""
        if body.status not in call.expect:
            error_body = await _read_bounded(body, ERROR_BODY_LIMIT)
        result = call.parse(Response(body.status, body.headers, error_body))
    except BaseException as exc:
        await files.closed(body)
        if isinstance(exc, ResponseError):
            driver.defaults.redact(exc)
        raise
    return body, result


async def _send(
    driver: AnyioDriver,
    request: Request,
    content: AsyncIterator[bytes] | None,
    length: int | None,
    endless: bool,
) -> AsyncBody:
    """Send `request` through the transport: streamed when it can, else whole."""
    transport = driver.transport
    if isinstance(transport, AsyncStreamingTransport):
        return await transport.open_stream(
            request, content=content, content_length=length, endless=endless
        )
    if content is not None:
        request = attrs.evolve(request, body=b"".join([piece async for piece in content]))
    return files.whole(await transport.send(request))


async def _read_bounded(body: AsyncBody, limit: int) -> bytes:
    pieces: list[bytes] = []
    size = 0
    while size < limit and (piece := await body.receive()):
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)[:limit]


class AsyncItems(Generic[V]):
    """An async iterator over the items of a streamed response, read in the consumer's task.

    The request goes out on entering ``async with`` (or at the first ``__anext__``); the
    connection stays open between two ``__anext__``. `aclose` (or leaving ``async with``)
    closes it at once, as does a cancelled or failed ``__anext__``; a body read to its end
    gives it back to the pool.
    """

    def __init__(self, driver: AnyioDriver, call: StreamCall[V]) -> None:
        self._driver = driver
        self._call = call
        self._splitter = call.splitter()
        self._body: AsyncBody | None = None
        self._ready: deque[V] = deque()
        self._done = False

    def __aiter__(self) -> AsyncItems[V]:
        return self

    async def __anext__(self) -> V:
        ready = self._ready
        if ready:
            return ready.popleft()
        if self._done:
            raise StopAsyncIteration
        try:
            body = self._body or await self._start()
            while not ready:
                piece = await body.receive()
                if not piece:
                    ready.extend(self._split(body, None))
                    await self.aclose()
                    break
                ready.extend(self._split(body, piece))
        except BaseException:
            await self.aclose()
            raise
        if not ready:
            raise StopAsyncIteration
        return ready.popleft()

    async def _start(self) -> AsyncBody:
        body, _ = await _open(self._driver, self._call.call, endless=self._call.endless)
        self._body = body
        return body

    def _split(self, body: AsyncBody, piece: bytes | None) -> list[V]:
        try:
            return self._splitter.end() if piece is None else self._splitter.feed(piece)
        except DecodeError as error:
            raise self._call.undecodable(body.status, body.headers, error) from None

    async def aclose(self) -> None:
        """Stop reading: the connection is closed (or back in the pool at the body's end)."""
        self._done = True
        body, self._body = self._body, None
        if body is not None:
            await files.closed(body)

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
    body, result = await _open(driver, call)
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
    finally:
        await files.closed(body)
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
            return await _upload(driver, call, file)
    return await _upload(driver, call, source)


async def _upload(driver: AnyioDriver, call: Call[T], source: Any) -> T:
    content = files.pieces(source)
    try:
        body, result = await _open(driver, call, content=content, length=files.length(source))
    finally:
        await content.aclose()
    await files.closed(body)
    return result
