"""Builders for snapshots of the servers' state: ``/v1/snapshot``.

A snapshot may be large: each builder takes its own ``timeout`` (the client's otherwise). The
bytes forms (`save`, `restore`) are bounded by it as a whole; the streamed forms
(`save_stream`, `restore_stream`, which a driver sends with a file as the body or the
destination) bound each wait by it: connecting, each piece, and the agent's answer, which
comes once the agent has built (or applied) the whole snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import attrs

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import dc_call, decode_ok, with_meta
from consul_core.endpoints._options import (
    StaleReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta

__all__ = ["restore", "restore_stream", "save", "save_stream"]

T = TypeVar("T")

_GZIP_MAGIC = b"\x1f\x8b"


def _decode_archive(response: Response) -> bytes:
    return response.body


def _decode_meta(response: Response) -> QueryMeta:
    return QueryMeta.from_headers(response.headers)


def _timed(call: Call[T], timeout: object) -> Call[T]:
    """`call` with its own timeout (a duration), or as it is for None."""
    if timeout is None:
        return call
    seconds = _params.parse_duration(timeout, "timeout")
    if seconds <= 0:
        raise UsageError("timeout must be positive")
    return attrs.evolve(call, request=attrs.evolve(call.request, timeout=seconds))


def _save(decode: Callable[[Response], T], timeout: object, options: StaleReadOptions) -> Call[T]:
    params: _params.Params = []
    _params.add_flag(params, "stale", options.get("stale", False))
    dc, token = options.get("dc"), options.get("token")
    call = dc_call("GET", "/v1/snapshot", decode, params=params, dc=dc, token=token)
    return _timed(call, timeout)


@builder
def save(
    *, timeout: object = None, **options: Unpack[StaleReadOptions]
) -> Call[tuple[bytes, QueryMeta]]:
    """Take a snapshot of the servers' state (KV, catalog, sessions, ACLs, ...).

    Args:
        timeout: The time the whole call may take (a duration; default the client's timeout).
        token: An ACL token for this call only (needs a management token).

    Returns:
        The snapshot, a gzip-compressed archive to pass to `restore` as is, and the metadata
        (``index`` is the Raft index it holds).
    """
    return _save(with_meta(_decode_archive), timeout, options)


@builder
def save_stream(*, timeout: object = None, **options: Unpack[StaleReadOptions]) -> Call[QueryMeta]:
    """The request of `save` whose response a driver writes to a file or a stream as it
    arrives (``client.snapshot.save_to(path_or_file)``): the call parses the response's head.

    Args:
        timeout: The longest wait for the agent: to connect, for its answer (it answers once
            it has built the snapshot), for each piece (a duration; default the client's
            timeout).
        token: An ACL token for this call only (needs a management token).

    Returns:
        The metadata (``index`` is the Raft index the snapshot holds).
    """
    return _save(_decode_meta, timeout, options)


@builder
def restore(data: bytes, *, timeout: object = None, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Replace the servers' state with a snapshot: everything written since it is lost.

    Args:
        data: A snapshot, as `save` returned it.
        timeout: The time the whole call may take (a duration; default the client's timeout).
        token: An ACL token for this call only (needs a management token).

    Returns:
        True when restored.

    Raises:
        ServerError: Consul could not read the snapshot.
        UsageError: `data` is not bytes, or not a gzip archive.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise UsageError(f"data must be bytes, not {type(data).__name__}")
    body = bytes(data)
    if not body.startswith(_GZIP_MAGIC):
        raise UsageError("data is not a snapshot: a snapshot is a gzip archive")
    return _timed(dc_call("PUT", "/v1/snapshot", decode_ok, raw_body=body, **options), timeout)


@builder
def restore_stream(*, timeout: object = None, **options: Unpack[WriteOptions]) -> Call[bool]:
    """The request of `restore` without its body: a driver sends the snapshot as it reads it
    from a file or a stream (``client.snapshot.restore(path_or_file)``).

    Args:
        timeout: The longest wait for the agent: to connect, for each piece to be sent, for
            its answer (it answers once it has applied the snapshot; a duration; default the
            client's timeout).
        token: An ACL token for this call only (needs a management token).

    Returns:
        True when restored.

    Raises:
        ServerError: Consul could not read the snapshot.
    """
    return _timed(dc_call("PUT", "/v1/snapshot", decode_ok, **options), timeout)
