"""The I/O of streamed bodies under anyio: closing a body even from a cancelled task, a whole
response as a body, and files read and written (sync or async ones, in a worker thread for the
former). Hand-written, as is its twin `_sync/files.py`: the two differ in more than words
(cancel scopes and worker threads here, plain blocking calls there); `stream.py` uses either
through the same names, so that its sync twin is generated.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

import anyio
import anyio.to_thread

from consul_core import Response
from consul_transports._bodies import PIECE, WholeBody, file_length
from consul_transports._streams import AsyncBody

__all__ = ["closed", "length", "opened", "pieces", "removed", "whole", "write"]

# How long closing a stream may take when its reader was cancelled.
_CLOSE_WITHIN = 5.0


class _AsyncWholeBody(WholeBody):
    async def receive(self) -> bytes:  # type: ignore[override]
        return self.take()

    async def aclose(self) -> None:
        self.close()


def whole(response: Response) -> AsyncBody:
    """`response`, read, as a streamed body (for a transport that cannot stream)."""
    return _AsyncWholeBody(response)


async def closed(body: AsyncBody) -> None:
    """Close `body`, even from a cancelled task, within a bounded time."""
    with anyio.CancelScope(shield=True), anyio.move_on_after(_CLOSE_WITHIN):
        await body.aclose()


@asynccontextmanager
async def opened(path: str, mode: Literal["rb", "wb"]) -> AsyncIterator[Any]:
    """The file at `path` open in `mode` (an ``anyio.AsyncFile``) for the block."""
    async with await anyio.open_file(path, mode) as file:
        yield file


async def removed(path: str) -> None:
    """Remove the file at `path` if it exists, even from a cancelled task."""
    with anyio.CancelScope(shield=True):
        await anyio.Path(path).unlink(missing_ok=True)


async def write(target: Any, piece: bytes) -> None:
    """Write `piece` to `target`: awaited for an async file, in a worker thread for a sync one."""
    if inspect.iscoroutinefunction(target.write):
        await target.write(piece)
    else:
        await anyio.to_thread.run_sync(target.write, piece)


async def pieces(source: Any) -> AsyncGenerator[bytes, None]:
    """The pieces of `source` (a sync or async binary file) as they are read."""
    read = source.read
    if inspect.iscoroutinefunction(read):
        while piece := await read(PIECE):
            yield piece
    else:
        while piece := await anyio.to_thread.run_sync(read, PIECE):
            yield piece


def length(source: Any) -> int | None:
    """The bytes left in `source`: an ``anyio.AsyncFile``'s file, or a sync file; None for
    another async file (its body is then sent in chunks).
    """
    wrapped = getattr(source, "wrapped", None)
    if wrapped is not None:
        return file_length(wrapped)
    return None if inspect.iscoroutinefunction(source.read) else file_length(source)
