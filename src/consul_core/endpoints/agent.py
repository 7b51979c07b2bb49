"""Builders for the local agent itself: ``/v1/agent/self``, maintenance, reload, leave, metrics,
host and ACL tokens.

``GET /v1/agent/monitor`` streams logs until the client hangs up; a `Call` parses one complete
response, so it has no builder here.
"""

from __future__ import annotations

from typing import Literal, get_args

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import decode_ok, make_call, model
from consul_core.endpoints._options import CallOptions, Unpack, builder
from consul_core.errors import UsageError
from consul_core.models.agent import AgentInfo, HostInfo, MetricsInfo

__all__ = [
    "TokenKind",
    "disable",
    "enable",
    "host",
    "info",
    "leave",
    "maintenance",
    "metrics",
    "reload",
    "update_token",
]

TokenKind = Literal[
    "default",
    "agent",
    "agent_recovery",
    "replication",
    "config_file_service_registration",
    "dns",
    # Consul 1.11 renamed agent_master to agent_recovery; the old name is still accepted.
    "agent_master",
    # The names before Consul 1.4.3, still accepted.
    "acl_token",
    "acl_agent_token",
    "acl_agent_master_token",
    "acl_replication_token",
]
_TOKEN_KINDS = frozenset(get_args(TokenKind))


@builder(needs="agent:read")
def info(**options: Unpack[CallOptions]) -> Call[AgentInfo]:
    """Describe the local agent: its configuration, member entry, coordinate and statistics.

    Returns:
        The agent's description.
    """
    return make_call("GET", "/v1/agent/self", model(AgentInfo), **options)


def maintenance_params(enable: bool, reason: object) -> _params.Params:
    """The query of a maintenance mode switch (the node's or a service's)."""
    params: _params.Params = [("enable", "true" if enable else "false")]
    if reason is not None:
        params.append(("reason", _params.check_str(reason, "reason", empty=True)))
    return params


@builder
def maintenance(
    path: str, *, enable: bool, reason: object, **options: Unpack[CallOptions]
) -> Call[bool]:
    """Turn maintenance mode on or off at `path` (the node's or a service's).

    Args:
        path: ``/v1/agent/maintenance`` or ``/v1/agent/service/maintenance/<id>``.
        enable: True to enter maintenance mode, False to leave it.
        reason: A reason shown as the maintenance check's notes, or None.

    Returns:
        A call returning True.

    Raises:
        UsageError: `reason` or `token` is invalid.
    """
    params = maintenance_params(enable, reason)
    return make_call("PUT", path, decode_ok, params=params, **options)


@builder(needs="node:write")
def disable(reason: str | None = None, **options: Unpack[CallOptions]) -> Call[bool]:
    """Put the agent's node in maintenance mode: it fails its health and leaves DNS and queries.

    Args:
        reason: Why, shown as the notes of the maintenance check.

    Returns:
        True.
    """
    return maintenance("/v1/agent/maintenance", enable=True, reason=reason, **options)


@builder(needs="node:write")
def enable(reason: str | None = None, **options: Unpack[CallOptions]) -> Call[bool]:
    """Take the agent's node out of maintenance mode.

    Args:
        reason: Why (Consul accepts it, though it has no check left to show it on).

    Returns:
        True.
    """
    return maintenance("/v1/agent/maintenance", enable=False, reason=reason, **options)


@builder(needs="agent:write")
def reload(**options: Unpack[CallOptions]) -> Call[bool]:
    """Make the agent reload its configuration files.

    Returns:
        True.
    """
    return make_call("PUT", "/v1/agent/reload", decode_ok, **options)


@builder(needs="agent:write")
def leave(**options: Unpack[CallOptions]) -> Call[bool]:
    """Make the agent leave its cluster gracefully and shut down.

    Returns:
        True, once the agent has left (a server also leaves the Raft peer set first).
    """
    return make_call("PUT", "/v1/agent/leave", decode_ok, **options)


@builder(needs="agent:read")
def metrics(**options: Unpack[CallOptions]) -> Call[MetricsInfo]:
    """Read the agent's metrics for the last completed interval.

    Returns:
        The gauges, points, counters and samples.
    """
    return make_call("GET", "/v1/agent/metrics", model(MetricsInfo), **options)


@builder(needs="operator:read")
def host(**options: Unpack[CallOptions]) -> Call[HostInfo]:
    """Describe the host the agent runs on: memory, CPUs, OS and disk.

    Returns:
        The host's description.
    """
    return make_call("GET", "/v1/agent/host", model(HostInfo), **options)


@builder(needs="agent:write")
def update_token(kind: TokenKind, secret: str, **options: Unpack[CallOptions]) -> Call[bool]:
    """Set one of the ACL tokens the agent uses for its own requests.

    With token persistence off the change lasts until the agent restarts. ``"agent_master"``
    was deprecated in Consul 1.11 (for ``"agent_recovery"``), the ``"acl_*"`` names were
    deprecated in Consul 1.4.3.

    Args:
        kind: Which one: ``"default"`` (for requests that carry no token), ``"agent"`` (for the
            agent's internal operations), ``"agent_recovery"`` (``"agent_master"`` before
            Consul 1.11), ``"replication"``, ``"config_file_service_registration"`` (services
            and checks from configuration files; Consul 1.15+) or ``"dns"`` (DNS lookups;
            Consul 1.18+); the legacy names (``"acl_token"``, ...) are accepted too.
        secret: The token's secret ID; ``""`` clears it.

    Returns:
        True.

    Raises:
        NotFound: This Consul does not know `kind` (1.8 knows ``default``, ``agent``,
            ``agent_master``, ``replication`` and the legacy names).
    """
    if kind not in _TOKEN_KINDS:
        raise UsageError(f"kind must be one of {sorted(_TOKEN_KINDS)}, not {kind!r}")
    body = {"Token": _params.check_str(secret, "secret", empty=True)}
    return make_call("PUT", f"/v1/agent/token/{kind}", decode_ok, body=body, **options)
