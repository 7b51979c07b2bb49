"""Builders for the agent's Serf members: ``/v1/agent/members``, join and force-leave.

Consul 1.8 answers a force-leave of a node it does not know with a 500
``agent: No node found with name '...'``; it is `NotFound`.
"""

from __future__ import annotations

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import decode_ok, make_call, model_list
from consul_core.endpoints._options import (
    CallOptions,
    PartitionedCallOptions,
    Unpack,
    builder,
)
from consul_core.errors import NotFound
from consul_core.models.agent import Member

__all__ = ["force_leave", "items", "join"]

_NODE_SOURCES = (("Name", "name"), ("Node", "node"))
_NOT_FOUND = {"No node found": NotFound}


@builder
def items(
    *, wan: bool = False, segment: str | None = None, **options: Unpack[PartitionedCallOptions]
) -> Call[list[Member]]:
    """List the members the agent sees in its LAN pool (or, on a server, the WAN pool).

    Args:
        wan: List the WAN pool of servers (names are ``node.dc``).
        segment: The LAN network segment (Consul Enterprise; ``"_all"`` for every segment).
        token: An ACL token for this call only (needs ``node:read`` on the members).

    Returns:
        The members.
    """
    params: _params.Params = []
    _params.add_true_flag(params, "wan", wan)
    if segment is not None:
        params.append(("segment", _params.check_str(segment, "segment", empty=True)))
    return make_call("GET", "/v1/agent/members", model_list(Member), params=params, **options)


@builder(needs="agent:write")
def join(address: str, *, wan: bool = False, **options: Unpack[CallOptions]) -> Call[bool]:
    """Make the agent join a cluster through one of its members.

    Args:
        address: The member's gossip address, ``host`` or ``host:port`` (default port 8301,
            8302 for the WAN pool).
        wan: Join the WAN pool (servers only).

    Returns:
        True.

    Raises:
        ServerError: The agent could not join (nothing listens at `address`, ...).
    """
    params: _params.Params = []
    _params.add_true_flag(params, "wan", wan)
    target = _params.segment(_params.check_str(address, "address"), "address", safe=":[]")
    return make_call("PUT", f"/v1/agent/join/{target}", decode_ok, params=params, **options)


@builder(needs="operator:write")
def force_leave(
    node: object, *, prune: bool = False, wan: bool = False, **options: Unpack[CallOptions]
) -> Call[bool]:
    """Force a member, normally a failed one, into the left state.

    Args:
        node: The member: its node name, a mapping with ``"Name"`` or ``"Node"``, or a `Member`.
        prune: Also remove it from the member list at once.
        wan: Force it out of the WAN pool only (a server, named ``node.dc`` there; Consul 1.11
            and later: an older Consul ignores it and forces the member out as without it).

    Returns:
        True.

    Raises:
        NotFound: The agent knows no member of that name.
    """
    params: _params.Params = []
    _params.add_true_flag(params, "prune", prune)
    _params.add_true_flag(params, "wan", wan)
    path = f"/v1/agent/force-leave/{_params.id_segment(node, 'node', _NODE_SOURCES)}"
    return make_call("PUT", path, decode_ok, params=params, **options, error_texts=_NOT_FOUND)
