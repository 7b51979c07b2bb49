"""The I/O of streamed bodies in blocking calls: closing a body, a whole response as a body,
and files read and written. Hand-written, as is its twin `_async/files.py`: the two differ in
more than words (cancel scopes and worker threads there, plain blocking calls here);
`stream.py` uses either through the same names, so that its sync twin is generated.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator
from typing import IO, Any, Literal

from consul_core import Response
from consul_transports._bodies import PIECE, WholeBody, file_length
from consul_transports._streams import SyncBody

__all__ = ["closed", "length", "opened", "pieces", "removed", "whole", "write"]


def whole(response: Response) -> SyncBody:
    """`response`, read, as a streamed body (for a transport that cannot stream)."""
    return WholeBody(response)


def closed(body: SyncBody) -> None:
    """Close `body`."""
    body.close()


def opened(path: str, mode: Literal["rb", "wb"]) -> IO[Any]:
    """The file at `path` open in `mode`, binary, to use in a ``with`` block."""
    return open(path, mode)  # the caller's ``with`` closes it


def removed(path: str) -> None:
    """Remove the file at `path` if it exists."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def write(target: Any, piece: bytes) -> None:
    """Write `piece` to `target`, a binary file."""
    target.write(piece)


def pieces(source: Any) -> Generator[bytes, None, None]:
    """The pieces of `source` (a binary file) as they are read."""
    read = source.read
    while piece := read(PIECE):
        yield piece


def length(source: Any) -> int | None:
    """The bytes left in `source`, a binary file (None when unknown)."""
    return file_length(source)
