"""Builders for the operator endpoints: ``/v1/operator`` (Raft, autopilot, keyring, usage).

The license, area, segment, audit and utilization endpoints belong to Consul Enterprise: their
builders are in `consul_core.endpoints.operator_enterprise`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from consul_core import _params
from consul_core._codec import decode_json, get_field
from consul_core.call import Call
from consul_core.endpoints._common import (
    dc_call,
    decode_bool,
    decode_ok,
    indexed_read,
    make_call,
    model,
    model_list,
)
from consul_core.endpoints._options import (
    CallOptions,
    ReadOptions,
    StaleReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import Conflict, NotFound, UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.operator import (
    AutopilotConfiguration,
    AutopilotHealth,
    AutopilotState,
    KeyringResponse,
    RaftConfiguration,
    Usage,
)

__all__ = [
    "autopilot_configuration",
    "autopilot_health",
    "autopilot_state",
    "autopilot_update",
    "configuration",
    "keyring_install",
    "keyring_list",
    "keyring_remove",
    "keyring_use",
    "peer_delete",
    "raft_transfer_leader",
    "usage",
]

T = TypeVar("T")

_GOSSIP_KEY_SIZES = (16, 24, 32)


def _stale_read(path: str, decode: Callable[[Response], T], options: StaleReadOptions) -> Call[T]:
    # The operator reads take `stale` as a flag, not a consistency mode.
    params: _params.Params = []
    _params.add_flag(params, "stale", options.get("stale", False))
    dc, token = options.get("dc"), options.get("token")
    return dc_call("GET", path, decode, params=params, dc=dc, token=token)


@builder(needs="operator:read")
def configuration(**options: Unpack[StaleReadOptions]) -> Call[RaftConfiguration]:
    """Read the Raft configuration (the peer set).

    Returns:
        The Raft configuration.
    """
    return _stale_read("/v1/operator/raft/configuration", model(RaftConfiguration), options)


@builder(needs="operator:write")
def peer_delete(
    address: str | None = None, *, id: str | None = None, **options: Unpack[WriteOptions]
) -> Call[bool]:
    """Remove a stale server from the Raft configuration, by address or by ID.

    Args:
        address: The peer's Raft address, ``IP:port``.
        id: The peer's Raft ID, instead of `address`.

    Returns:
        True when removed.

    Raises:
        NotFound: No peer has that address or ID.
        UsageError: Neither or both of `address` and `id` are given.
    """
    if (address is None) == (id is None):
        raise UsageError("give exactly one of address and id")
    if address is not None:
        params = [("address", _params.check_str(address, "address"))]
    else:
        params = [("id", _params.check_str(id, "id"))]
    path = "/v1/operator/raft/peer"
    texts = {"was not found in the Raft configuration": NotFound}
    return dc_call("DELETE", path, decode_ok, params=params, **options, error_texts=texts)


def _decode_success(response: Response) -> bool:
    return get_field(decode_json(response.body), "Success", bool)


@builder(needs="operator:write")
def raft_transfer_leader(id: str | None = None, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Ask the leader to hand Raft leadership to another server (Consul 1.15+).

    Args:
        id: The Raft ID of the server to take over; default: a server Raft picks.

    Returns:
        Whether leadership moved.
    """
    params = [] if id is None else [("id", _params.check_str(id, "id"))]
    path = "/v1/operator/raft/transfer-leader"
    return dc_call("POST", path, _decode_success, params=params, **options)


@builder(needs="operator:read")
def autopilot_configuration(**options: Unpack[StaleReadOptions]) -> Call[AutopilotConfiguration]:
    """Read autopilot's configuration.

    Returns:
        The configuration.
    """
    path = "/v1/operator/autopilot/configuration"
    return _stale_read(path, model(AutopilotConfiguration), options)


@builder(needs="operator:write")
def autopilot_update(
    config: AutopilotConfiguration | Mapping[str, Any],
    *,
    cas: _params.IndexLike | None = None,
    **options: Unpack[WriteOptions],
) -> Call[bool]:
    """Replace autopilot's configuration.

    Consul reads a field left out as its zero value (``CleanupDeadServers`` false, thresholds
    0s): send a whole configuration, e.g. the one `autopilot_configuration` read, changed.

    Args:
        config: An `AutopilotConfiguration`, or a mapping in Consul's shape.
        cas: Write only if the configuration's modify index is still this: an int, a
            `QueryMeta`, or the `AutopilotConfiguration` that was read.

    Returns:
        True when written; False when `cas` was stale.

    Raises:
        BadRequest: Consul rejected a value.
    """
    if not isinstance(config, (AutopilotConfiguration, Mapping)):
        raise UsageError("config must be an AutopilotConfiguration or a mapping")
    params = [] if cas is None else [("cas", str(_params.to_index(cas, "cas")))]
    return dc_call(
        "PUT",
        "/v1/operator/autopilot/configuration",
        decode_bool,
        params=params,
        body=config,
        **options,
    )


@builder(needs="operator:read")
def autopilot_health(**options: Unpack[WriteOptions]) -> Call[AutopilotHealth]:
    """Read the health of the servers, as autopilot judges it.

    Returns:
        The servers' health; an unhealthy cluster (Consul's 429) is a result, not an error.
    """
    return dc_call(
        "GET",
        "/v1/operator/autopilot/health",
        model(AutopilotHealth),
        expect=frozenset({200, 429}),
        **options,
    )


@builder(needs="operator:read")
def autopilot_state(**options: Unpack[StaleReadOptions]) -> Call[AutopilotState]:
    """Read autopilot's full view of the cluster (Consul 1.9+).

    Returns:
        The state.
    """
    return _stale_read("/v1/operator/autopilot/state", model(AutopilotState), options)


def _keyring_params(relay_factor: object, local_only: object) -> _params.Params:
    params: _params.Params = []
    if relay_factor is not None:
        factor = _params.check_int(relay_factor, "relay_factor", maximum=5)
        params.append(("relay-factor", str(factor)))
    _params.add_true_flag(params, "local-only", local_only)
    return params


def _gossip_key(key: object) -> dict[str, str]:
    text = _params.check_str(key, "key")
    try:
        size = len(base64.b64decode(text, validate=True))
    except binascii.Error:
        size = -1
    if size not in _GOSSIP_KEY_SIZES:
        raise UsageError("key must be 16, 24 or 32 bytes, base64-encoded")
    return {"Key": text}


@builder(needs="keyring:read")
def keyring_list(
    *, relay_factor: int | None = None, local_only: bool = False, **options: Unpack[CallOptions]
) -> Call[list[KeyringResponse]]:
    """List the gossip encryption keys of every ring (WAN, and each datacenter's LAN).

    Args:
        relay_factor: Ask this many other nodes (0 to 5) to relay each reply.
        local_only: Ask only the servers of this datacenter (Consul 1.7+).

    Returns:
        One entry per ring.

    Raises:
        ServerError: Gossip encryption is not enabled ("Keyring is empty").
    """
    return make_call(
        "GET",
        "/v1/operator/keyring",
        model_list(KeyringResponse),
        params=_keyring_params(relay_factor, local_only),
        **options,
    )


class _KeyringWriteOptions(CallOptions, total=False):
    """The options of a keyring write: the call's, and how its replies travel."""

    relay_factor: int | None


def _keyring_write(method: str, key: object, options: _KeyringWriteOptions) -> Call[bool]:
    return make_call(
        method,
        "/v1/operator/keyring",
        decode_ok,
        params=_keyring_params(options.get("relay_factor"), False),
        body=_gossip_key(key),
        error_texts={"Removing the primary key is not allowed": Conflict},
        token=options.get("token"),
    )


@builder(needs="keyring:write")
def keyring_install(key: str, **options: Unpack[_KeyringWriteOptions]) -> Call[bool]:
    """Install a new gossip encryption key on every node (it is not used until `keyring_use`).

    Args:
        key: The key: 16, 24 or 32 random bytes, base64-encoded (``consul keygen``).
        relay_factor: Ask this many other nodes (0 to 5) to relay each reply.

    Returns:
        True when every node installed it.

    Raises:
        UsageError: `key` is not a valid gossip key.
    """
    return _keyring_write("POST", key, options)


@builder(needs="keyring:write", like=keyring_install)
def keyring_use(key: str, **options: Unpack[_KeyringWriteOptions]) -> Call[bool]:
    """Make an installed gossip key the primary one, which encrypts all gossip.

    Args:
        key: The key, installed before.

    Returns:
        True when every node switched.
    """
    return _keyring_write("PUT", key, options)


@builder(needs="keyring:write", like=keyring_install)
def keyring_remove(key: str, **options: Unpack[_KeyringWriteOptions]) -> Call[bool]:
    """Remove a gossip key from every node (removing a key that is not installed succeeds).

    Args:
        key: The key; it must not be the primary one.

    Returns:
        True when removed.

    Raises:
        Conflict: The key is the primary key.
    """
    return _keyring_write("DELETE", key, options)


@builder(needs="operator:read")
def usage(
    *, all_datacenters: bool = False, **options: Unpack[ReadOptions]
) -> Call[tuple[Usage, QueryMeta]]:
    """Count the services and service instances (Consul 1.10+).

    Args:
        all_datacenters: Count every datacenter (``?global``), not only one.

    Returns:
        The counts by datacenter, and the read's metadata.
    """
    params: _params.Params = []
    _params.add_flag(params, "global", all_datacenters)
    return indexed_read(
        "/v1/operator/usage",
        model(Usage),
        params=params,
        **options,
    )
