"""Builders for cluster peering (Consul 1.13+): ``/v1/peering/token``, ``/v1/peering/establish``,
``/v1/peering/<name>``, ``/v1/peerings``.

One cluster generates a token for a peer name; the other establishes the peering with it.

A peering lives in an admin partition (Consul Enterprise), given as the ``partition`` query
parameter, as the Go client sends it: the docs put a token generation's and an establishment's
partition in the body, and Consul takes the query's when the body names none
(agent/peering_endpoint.go).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from consul_core import _params
from consul_core._codec import decode_json, get_field
from consul_core.call import Call
from consul_core.endpoints import _acl, _named
from consul_core.endpoints._common import Ref, dc_call, decode_ok
from consul_core.endpoints._options import (
    PartitionedReadOptions,
    PartitionedWriteOptions,
    Unpack,
    builder,
)
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.peering import Peering

__all__ = ["delete", "establish", "generate_token", "items", "read"]

_PEERINGS = _named.NamedObjects[Peering, PartitionedReadOptions, PartitionedWriteOptions](
    "peering", "peerings", Peering, "peering"
)


def _decode_token(response: Response) -> str:
    return get_field(decode_json(response.body), "PeeringToken", str)


@builder(needs="peering:write")
def generate_token(
    peer_name: str,
    *,
    meta: Mapping[str, str] | None = None,
    server_external_addresses: Sequence[str] | None = None,
    **options: Unpack[PartitionedWriteOptions],
) -> Call[str]:
    """Generate a token that the peer cluster passes to `establish`.

    Generating again for the same name gives a new token (the peering stays pending until
    the peer dials).

    Args:
        peer_name: The name this cluster gives the peer (a DNS label).
        meta: Free-form metadata for the peering.
        server_external_addresses: ``host:port`` addresses of this cluster's servers to put
            in the token (load balancers, external IPs), instead of the ones Consul knows.

    Returns:
        The peering token (opaque).
    """
    body = _acl.merged(
        {"PeerName": _params.check_str(peer_name, "peer_name")},
        Meta=_named.opt_str_map(meta, "meta"),
        ServerExternalAddresses=_acl.str_list(
            server_external_addresses, "server_external_addresses"
        ),
    )
    return dc_call("POST", "/v1/peering/token", _decode_token, body=body, **options)


@builder(needs="peering:write")
def establish(
    peer_name: str,
    peering_token: str,
    *,
    meta: Mapping[str, str] | None = None,
    **options: Unpack[PartitionedWriteOptions],
) -> Call[bool]:
    """Establish a peering with the cluster that generated `peering_token`.

    Args:
        peer_name: The name this cluster gives the peer (a DNS label).
        peering_token: The token the peer's `generate_token` returned.
        meta: Free-form metadata for the peering.

    Returns:
        True once the peering is stored (its stream then connects in the background).
    """
    body = _acl.merged(
        {
            "PeerName": _params.check_str(peer_name, "peer_name"),
            "PeeringToken": _params.check_str(peering_token, "peering_token"),
        },
        Meta=_named.opt_str_map(meta, "meta"),
    )
    return dc_call("POST", "/v1/peering/establish", decode_ok, body=body, **options)


@builder(needs="peering:read", like=_PEERINGS.docs.read)
def read(
    peering: Ref[Peering], **options: Unpack[PartitionedReadOptions]
) -> Call[tuple[Peering, QueryMeta]]:
    """Read a peering."""
    return _PEERINGS.read(peering, options)


@builder(needs="peering:write", like=_PEERINGS.docs.delete)
def delete(peering: Ref[Peering], **options: Unpack[PartitionedWriteOptions]) -> Call[bool]:
    """Delete a peering: Consul marks it (``deleted_at``) and removes what it imported in the
    background.
    """
    return _PEERINGS.delete(peering, options)


@builder(needs="peering:read", like=_PEERINGS.docs.items)
def items(**options: Unpack[PartitionedReadOptions]) -> Call[tuple[list[Peering], QueryMeta]]:
    """List the peerings."""
    return _PEERINGS.items(options)
