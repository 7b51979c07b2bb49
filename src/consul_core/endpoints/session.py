"""Builders for sessions: ``/v1/session``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from consul_core import _params
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints._common import (
    dc_call,
    decode_bool,
    decode_id,
    indexed_read,
    model_list,
    with_meta,
)
from consul_core.errors import Missing, UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.session import Session, SessionBehavior

__all__ = ["create", "destroy", "info", "items", "node", "renew"]

_MIN_TTL, _MAX_TTL = 10.0, 86400.0
_decode_sessions = model_list(Session)


def _decode_single(response: Response) -> Session:
    sessions = _decode_sessions(response)
    if not sessions:
        raise Missing("no such session")
    return sessions[0]


def _spec(session: object) -> dict[str, Any]:
    if session is None:
        return {}
    if isinstance(session, Session):
        spec: dict[str, Any] = to_json(session)
        spec.pop("ID", None)
        return spec
    if isinstance(session, Mapping):
        return dict(session)
    raise UsageError("session must be a mapping of Consul's session fields or a Session")


def create(
    session: Mapping[str, Any] | Session | None = None,
    *,
    name: str | None = None,
    node: str | None = None,
    checks: Sequence[str] | None = None,
    lock_delay: _params.Duration | None = None,
    behavior: SessionBehavior | None = None,
    ttl: _params.Duration | None = None,
    dc: str | None = None,
    token: str | None = None,
) -> Call[str]:
    """Create a session.

    Args:
        session: A spec in Consul's shape (``{"Name": ..., "TTL": "15s"}``) or a `Session`;
            the keyword arguments override it.
        name: A human-readable name.
        node: The node to tie it to; default the agent's.
        checks: The health checks to tie it to (``[]`` ties it to none, not even serfHealth).
        lock_delay: How long released locks stay unacquirable after invalidation (default 15s).
        behavior: ``"release"`` (default) or ``"delete"`` the keys it holds on invalidation.
        ttl: A TTL between 10s and 24h, renewed with `renew`.
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        The new session's ID.

    Raises:
        UsageError: An argument is invalid.
    """
    spec = _spec(session)
    if name is not None:
        spec["Name"] = _params.check_str(name, "name", empty=True)
    if node is not None:
        spec["Node"] = _params.check_str(node, "node")
    if checks is not None:
        if isinstance(checks, str):
            raise UsageError("checks must be a list of check IDs, not a str")
        spec["Checks"] = [_params.check_str(c, "check ID") for c in checks]
    if lock_delay is not None:
        spec["LockDelay"] = _params.duration_param(lock_delay, "lock_delay")
    if behavior is not None:
        if behavior not in ("release", "delete"):
            raise UsageError(f"behavior must be 'release' or 'delete', not {behavior!r}")
        spec["Behavior"] = behavior
    if ttl is not None:
        seconds = _params.parse_duration(ttl, "ttl")
        if not _MIN_TTL <= seconds <= _MAX_TTL:
            raise UsageError(f"ttl must be between 10s and 24h, got {ttl!r}")
        spec["TTL"] = _params.format_duration(seconds)
    return dc_call("PUT", "/v1/session/create", decode_id, body=spec, dc=dc, token=token)


def _session_path(action: str, session: object) -> str:
    return f"/v1/session/{action}/{_params.path_segment(session, 'session')}"


def destroy(session: object, *, dc: str | None = None, token: str | None = None) -> Call[bool]:
    """Destroy a session, releasing (or deleting) the keys it locks.

    Args:
        session: The session: its ID, a mapping with ``"ID"``, or a `Session`.
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        True.

    Raises:
        UsageError: An argument is invalid.
    """
    return dc_call(
        "PUT",
        _session_path("destroy", session),
        decode_bool,
        dc=dc,
        token=token,
    )


def info(
    session: object,
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[Session, QueryMeta]]:
    """Read a session.

    Args:
        session: The session: its ID, a mapping with ``"ID"``, or a `Session`.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: The consistency mode.
        token: An ACL token for this call only.

    Returns:
        The session and the read's metadata.

    Raises:
        NotFound: The session does not exist.
        UsageError: An argument is invalid.
    """
    return indexed_read(
        _session_path("info", session),
        _decode_single,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def renew(
    session: object, *, dc: str | None = None, token: str | None = None
) -> Call[tuple[Session, QueryMeta]]:
    """Renew a TTL session.

    Args:
        session: The session: its ID, a mapping with ``"ID"``, or a `Session`.
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        The session (its TTL may have been raised by the server) and the metadata.

    Raises:
        NotFound: The session no longer exists: it expired or was destroyed.
        UsageError: An argument is invalid.
    """
    path = _session_path("renew", session)
    return dc_call("PUT", path, with_meta(_decode_single), dc=dc, token=token)


def _list(
    path: str, dc: object, watch: object, consistency: object, token: object
) -> Call[tuple[list[Session], QueryMeta]]:
    return indexed_read(
        path, _decode_sessions, dc=dc, watch=watch, consistency=consistency, token=token
    )


def node(
    node: str,
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[Session], QueryMeta]]:
    """List the sessions of a node.

    Args:
        node: The node's name (or a mapping with ``"Node"``).
        dc: The datacenter.
        watch: A blocking read.
        consistency: The consistency mode.
        token: An ACL token for this call only.

    Returns:
        The sessions and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    name = _params.path_segment(node, "node", key="Node")
    return _list(f"/v1/session/node/{name}", dc, watch, consistency, token)


def items(
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[Session], QueryMeta]]:
    """List every session of the datacenter.

    Args:
        dc: The datacenter.
        watch: A blocking read.
        consistency: The consistency mode.
        token: An ACL token for this call only.

    Returns:
        The sessions and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _list("/v1/session/list", dc, watch, consistency, token)
