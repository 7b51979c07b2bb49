"""Builders for snapshots of the servers' state: ``/v1/snapshot``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import dc_call, decode_ok, with_meta
from consul_core.endpoints._options import (
    StaleReadOptions,
    WriteOptions,
    builder,
)
from consul_core.errors import UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["restore", "restore_stream", "save", "save_stream"]

T = TypeVar("T")

_GZIP_MAGIC = b"\x1f\x8b"


def _decode_archive(response: Response) -> bytes:
    return response.body


@builder
def save(**options: Unpack[StaleReadOptions]) -> Call[tuple[bytes, QueryMeta]]:
    """Take a snapshot of the servers' state (KV, catalog, sessions, ACLs, ...).

    Args:
        token: An ACL token for this call only (needs a management token).

    Returns:
        The snapshot, a gzip-compressed archive to pass to `restore` as is, and the metadata
        (``index`` is the Raft index it holds).
    """
    return _save(with_meta(_decode_archive), options)


def _save(decode: Callable[[Response], T], options: StaleReadOptions) -> Call[T]:
    params: _params.Params = []
    _params.add_flag(params, "stale", options.get("stale", False))
    dc, token = options.get("dc"), options.get("token")
    return dc_call("GET", "/v1/snapshot", decode, params=params, dc=dc, token=token)


def _decode_meta(response: Response) -> QueryMeta:
    return QueryMeta.from_headers(response.headers)


@builder
def save_stream(**options: Unpack[StaleReadOptions]) -> Call[QueryMeta]:
    """The request of `save` whose response a driver writes to a file or a stream as it
    arrives (``client.snapshot.save_to(path_or_file)``): the call parses the response's head.

    Args:
        token: An ACL token for this call only (needs a management token).

    Returns:
        The metadata (``index`` is the Raft index the snapshot holds).
    """
    return _save(_decode_meta, options)


@builder
def restore(data: bytes, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Replace the servers' state with a snapshot: everything written since it is lost.

    Args:
        data: A snapshot, as `save` returned it.
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
    return dc_call("PUT", "/v1/snapshot", decode_ok, raw_body=body, **options)


@builder
def restore_stream(**options: Unpack[WriteOptions]) -> Call[bool]:
    """The request of `restore` without its body: a driver sends the snapshot as it reads it
    from a file or a stream (``client.snapshot.restore(path_or_file)``).

    Args:
        token: An ACL token for this call only (needs a management token).

    Returns:
        True when restored.

    Raises:
        ServerError: Consul could not read the snapshot.
    """
    return dc_call("PUT", "/v1/snapshot", decode_ok, **options)
