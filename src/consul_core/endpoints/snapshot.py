"""Builders for snapshots of the servers' state: ``/v1/snapshot``."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

__all__ = ["restore", "save"]

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
    params: _params.Params = []
    _params.add_flag(params, "stale", options.get("stale", False))
    decode = with_meta(_decode_archive)
    dc, token = options.get("dc"), options.get("token")
    return dc_call("GET", "/v1/snapshot", decode, params=params, dc=dc, token=token)


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
