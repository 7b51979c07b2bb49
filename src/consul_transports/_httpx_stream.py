"""Streamed exchanges over httpx: a response body handed on as it arrives (httpx's
``stream=True``), a request body sent as it is read. Closing a response before its end makes
httpx close its connection rather than return it to the pool.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator

import httpx

from consul_core import Headers
from consul_transports._httpx_errors import mapped_errors

__all__ = ["AsyncHttpxBody", "HttpxBody"]


def _headers(response: httpx.Response) -> Headers:
    return Headers(response.headers.multi_items())


class HttpxBody:
    """A streamed httpx response (blocking).

    Attributes:
        status: The response's status.
        headers: Its headers.
    """

    def __init__(self, response: httpx.Response, release: Callable[[], None]) -> None:
        self._response = response
        self._pieces: Iterator[bytes] = response.iter_raw()
        self._release: Callable[[], None] | None = release
        self.status = response.status_code
        self.headers = _headers(response)

    def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        try:
            with mapped_errors():
                return next(self._pieces, b"")
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the response (its connection too, unless it was read to its end)."""
        release, self._release = self._release, None
        if release is not None:
            try:
                if isinstance(self._pieces, Generator):
                    self._pieces.close()
                self._response.close()
            finally:
                release()


class AsyncHttpxBody:
    """A streamed httpx response (async).

    Attributes:
        status: The response's status.
        headers: Its headers.
    """

    def __init__(self, response: httpx.Response, release: Callable[[], None]) -> None:
        self._response = response
        self._pieces: AsyncIterator[bytes] = response.aiter_raw()
        self._release: Callable[[], None] | None = release
        self.status = response.status_code
        self.headers = _headers(response)

    async def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        try:
            with mapped_errors():
                return await anext(self._pieces, b"")
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        """Close the response (its connection too, unless it was read to its end)."""
        release, self._release = self._release, None
        if release is not None:
            try:
                # Closed now, not left to an event loop's finalizer (trio warns).
                if isinstance(self._pieces, AsyncGenerator):
                    await self._pieces.aclose()
                await self._response.aclose()
            finally:
                release()
