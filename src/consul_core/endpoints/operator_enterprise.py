"""Builders for the Consul Enterprise operator endpoints: network areas (``/v1/operator/area``),
network segments, the license, the audit log hash and the utilization bundle.

A Consul without Enterprise has none of these endpoints (it answers 404). Updating and
resetting the license through the API (``PUT``/``DELETE /v1/operator/license``) were removed in
Consul 1.10: a license is set in the agent's configuration.
"""

from __future__ import annotations

from collections.abc import Sequence

from consul_core import _params
from consul_core._codec import decode_json, get_field
from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.endpoints._common import (
    Ref,
    dc_call,
    decode_id,
    decode_ok,
    decode_str_list,
    first_or_missing,
    indexed_read,
    model,
    model_list,
)
from consul_core.endpoints._options import (
    ReadOptions,
    UnindexedReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.operator_enterprise import (
    Area,
    AreaJoinResponse,
    LicenseReply,
    SerfMember,
)

__all__ = [
    "area_create",
    "area_delete",
    "area_get",
    "area_join",
    "area_list",
    "area_members",
    "area_update",
    "audit_hash",
    "license_get",
    "segment_list",
    "utilization",
]


def _area_path(area: object, suffix: str = "") -> str:
    return f"/v1/operator/area/{_acl.segment(area, 'area')}{suffix}"


@builder(needs="operator:write")
def area_create(
    peer_datacenter: str,
    *,
    retry_join: Sequence[str] | None = None,
    use_tls: bool | None = None,
    **options: Unpack[WriteOptions],
) -> Call[str]:
    """Create a network area with a peer datacenter (one area per peer datacenter).

    Args:
        peer_datacenter: The datacenter on the other side (not this one).
        retry_join: Servers of the peer datacenter to keep trying to join (``IP``,
            ``IP:port``, ``host`` or ``host:port``) until one join succeeds.
        use_tls: Encrypt gossip in the area with TLS where possible.

    Returns:
        The new area's ID.
    """
    body = _acl.merged(
        {"PeerDatacenter": _params.check_str(peer_datacenter, "peer_datacenter")},
        RetryJoin=_acl.str_list(retry_join, "retry_join"),
        UseTLS=_acl.opt_bool(use_tls, "use_tls"),
    )
    return dc_call("POST", "/v1/operator/area", decode_id, body=body, **options)


@builder(needs="operator:write")
def area_update(
    area: Ref[Area], *, use_tls: bool | None = None, **options: Unpack[WriteOptions]
) -> Call[str]:
    """Change a network area's settings.

    Args:
        area: Its ID, a mapping with ``"ID"``, or an `Area`; a mapping or an `Area` is sent
            as the new settings, `use_tls` overriding it.
        use_tls: Encrypt gossip in the area with TLS where possible.

    Returns:
        The area's ID.

    Raises:
        UsageError: `area` is an ID and `use_tls` is not given: nothing to change.
    """
    spec = {} if isinstance(area, str) else _acl.spec_of(area, "area", Area)
    body = _acl.merged(spec, UseTLS=_acl.opt_bool(use_tls, "use_tls"))
    if not body:
        raise UsageError("give the area's new settings: use_tls, or an Area or a mapping")
    return dc_call("PUT", _area_path(area), decode_id, body=body, **options)


@builder(needs="operator:read")
def area_get(area: Ref[Area], **options: Unpack[ReadOptions]) -> Call[tuple[Area, QueryMeta]]:
    """Read a network area.

    Args:
        area: Its ID, a mapping with ``"ID"``, or an `Area`.

    Returns:
        The area and the read's metadata.

    Raises:
        NotFound: No area has that ID.
    """
    return indexed_read(_area_path(area), first_or_missing(Area, "area"), **options)


@builder(needs="operator:read")
def area_list(**options: Unpack[ReadOptions]) -> Call[tuple[list[Area], QueryMeta]]:
    """List the network areas.

    Returns:
        The areas and the read's metadata.
    """
    return indexed_read("/v1/operator/area", model_list(Area), **options)


@builder(needs="operator:write")
def area_delete(area: Ref[Area], **options: Unpack[WriteOptions]) -> Call[bool]:
    """Delete a network area.

    Args:
        area: Its ID, a mapping with ``"ID"``, or an `Area`.

    Returns:
        True.
    """
    return dc_call("DELETE", _area_path(area), decode_ok, **options)


@builder(needs="operator:write")
def area_join(
    area: Ref[Area], addresses: Sequence[str], **options: Unpack[WriteOptions]
) -> Call[list[AreaJoinResponse]]:
    """Join servers of the peer datacenter into a network area.

    Args:
        area: Its ID, a mapping with ``"ID"``, or an `Area`.
        addresses: The servers: ``IP``, ``IP:port``, ``host`` or ``host:port``.

    Returns:
        The outcome for each address.
    """
    body = _acl.str_list(addresses, "addresses")
    path = _area_path(area, "/join")
    return dc_call("PUT", path, model_list(AreaJoinResponse), body=body, **options)


@builder(needs="operator:read")
def area_members(
    area: Ref[Area], **options: Unpack[UnindexedReadOptions]
) -> Call[tuple[list[SerfMember], QueryMeta]]:
    """List the servers in a network area, as its failure detector sees them.

    Args:
        area: Its ID, a mapping with ``"ID"``, or an `Area`.

    Returns:
        The servers and the read's metadata.
    """
    return indexed_read(_area_path(area, "/members"), model_list(SerfMember), **options)


@builder(needs="operator:read")
def segment_list(**options: Unpack[UnindexedReadOptions]) -> Call[tuple[list[str], QueryMeta]]:
    """List the network segments (``""`` is the default one).

    Returns:
        The segments' names and the read's metadata.
    """
    return indexed_read("/v1/operator/segment", decode_str_list, **options)


@builder
def license_get(**options: Unpack[UnindexedReadOptions]) -> Call[tuple[LicenseReply, QueryMeta]]:
    """Read the cluster's license.

    Args:
        token: An ACL token for this call only (none is needed).

    Returns:
        The license, whether it is valid, and the read's metadata.
    """
    return indexed_read("/v1/operator/license", model(LicenseReply), **options)


def _decode_hash(response: Response) -> str:
    return get_field(decode_json(response.body), "Hash", str)


@builder(needs="operator:read")
def audit_hash(text: str, **options: Unpack[WriteOptions]) -> Call[str]:
    """Hash a text as the audit log hashes the data it must not show (Consul Enterprise 1.8+).

    Args:
        text: The text, e.g. a token, to find in the audit log.

    Returns:
        The hash, as the audit log writes it (``"hmac_sha256:..."``).
    """
    body = {"Input": _params.check_str(text, "text", empty=True)}
    return dc_call("POST", "/v1/operator/audit-hash", _decode_hash, body=body, **options)


def _raw_body(response: Response) -> bytes:
    return response.body


@builder(needs="operator:read")
def utilization(
    *,
    message: str | None = None,
    today_only: bool = False,
    send_report: bool = False,
    **options: Unpack[UnindexedReadOptions],
) -> Call[tuple[bytes, QueryMeta]]:
    """Generate a utilization bundle for license reporting.

    Args:
        message: Context to log with the export.
        today_only: Include only the latest snapshot.
        send_report: Also send the report to HashiCorp.

    Returns:
        The bundle, the JSON bytes as Consul signed them (to save to a file), and the read's
        metadata.
    """
    params: _params.Params = []
    if message is not None:
        params.append(("message", _params.check_str(message, "message", empty=True)))
    _params.add_true_flag(params, "today_only", today_only)
    _params.add_true_flag(params, "send_report", send_report)
    return indexed_read("/v1/operator/utilization", _raw_body, params=params, **options)
