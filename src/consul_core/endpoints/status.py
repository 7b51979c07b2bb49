"""Builders for ``/v1/status``: the Raft leader and peers."""

from __future__ import annotations

from consul_core.call import Call
from consul_core.endpoints._common import dc_call, decode_str, decode_str_list

__all__ = ["leader", "peers"]


def leader(*, dc: str | None = None, token: str | None = None) -> Call[str]:
    """The address (``host:port``) of the Raft leader; empty while there is none.

    Args:
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        The leader's address.

    Raises:
        UsageError: An argument is invalid.
    """
    return dc_call("GET", "/v1/status/leader", decode_str, dc=dc, token=token)


def peers(*, dc: str | None = None, token: str | None = None) -> Call[list[str]]:
    """The addresses of the Raft peers.

    Args:
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        The peers' addresses.

    Raises:
        UsageError: An argument is invalid.
    """
    return dc_call("GET", "/v1/status/peers", decode_str_list, dc=dc, token=token)
