"""What the sync and async drivers share to stream bodies: the size of the pieces, the checks of
a file or path argument, the length of a file to send, and the whole-body stand-in for a
transport that cannot stream.
"""

from __future__ import annotations

import os
from typing import Any

from consul_core import Headers, Response, UsageError

__all__ = ["PIECE", "WholeBody", "check_file", "file_length", "is_path"]

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
