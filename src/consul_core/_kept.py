"""Kept results of pure functions, for the hot path of a call repeated: a builder keeps the
reads it built (by their arguments), a client's defaults the requests they completed, and a
native transport the bytes it wrote for a request (both by the identity of the request, which
the entry holds, so that its id cannot be another object's while it is kept; where the memo's
owner may be copied, pickled or deep-copied, the entry's request is checked too).

Each memo holds at most `LIMIT` entries, all dropped together when it is full: cheaper than
evicting one at a time, and the entries in use come back at their next call.
"""

from __future__ import annotations

from typing import TypeVar

from consul_core.http import _NO_HEADERS, Request

__all__ = ["LIMIT", "keep", "kept_read"]

K = TypeVar("K")
V = TypeVar("V")

LIMIT = 16


def keep(kept: dict[K, V], key: K, value: V) -> None:
    """Keep `value` under `key` in the memo `kept` (emptied first when it holds `LIMIT`)."""
    if len(kept) >= LIMIT:
        kept.clear()
    kept[key] = value


def kept_read(request: Request) -> bool:
    """Whether what is made of `request` may be kept: a read without a header of its own (so
    no call's token is kept), which a builder returns again for the same arguments.
    """
    return request.method == "GET" and request.headers is _NO_HEADERS
