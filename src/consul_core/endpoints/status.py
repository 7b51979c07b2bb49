"""Builders for ``/v1/status``: the Raft leader and peers."""

from __future__ import annotations

from consul_core.call import Call
from consul_core.endpoints._common import dc_call, decode_str, decode_str_list
from consul_core.endpoints._options import Unpack, WriteOptions, builder

__all__ = ["leader", "peers"]


@builder
def leader(**options: Unpack[WriteOptions]) -> Call[str]:
    """The address (``host:port``) of the Raft leader; empty while there is none.

    Returns:
        The leader's address.
    """
    return dc_call("GET", "/v1/status/leader", decode_str, **options)


@builder
def peers(**options: Unpack[WriteOptions]) -> Call[list[str]]:
    """The addresses of the Raft peers.

    Returns:
        The peers' addresses.
    """
    return dc_call("GET", "/v1/status/peers", decode_str_list, **options)
