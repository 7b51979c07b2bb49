"""Builders for sessions: ``/v1/session``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from consul_core import _params
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints import _docs
from consul_core.endpoints._common import (
    dc_call,
    decode_bool,
    decode_id,
    first_or_missing,
    indexed_read,
    model_list,
    with_meta,
)
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    NamespacedWriteOptions,
    Unpack,
    builder,
)
from consul_core.errors import MALFORMED_UUID, NotFound, UsageError
from consul_core.meta import QueryMeta
from consul_core.models.session import Session, SessionBehavior

__all__ = ["create", "destroy", "info", "items", "node", "renew"]

# Consul's bounds on a session TTL.
_MIN_TTL, _MAX_TTL = 10.0, 86400.0
_decode_sessions = model_list(Session)


_decode_single = first_or_missing(Session, "session")
_SESSIONS = _docs.sentences(
    "session", "sessions", "session", "Session", missing="NotFound: The session does not exist."
)


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


@builder
def create(
    session: Mapping[str, Any] | Session | None = None,
    *,
    name: str | None = None,
    node: str | None = None,
    checks: Sequence[str] | None = None,
    lock_delay: _params.Duration | None = None,
    behavior: SessionBehavior | None = None,
    ttl: _params.Duration | None = None,
    **options: Unpack[NamespacedWriteOptions],
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

    Returns:
        The new session's ID.

    Raises:
        UsageError: The TTL (the keyword's or the spec's) is not between 10s and 24h, or the
            behavior is neither ``"release"`` nor ``"delete"`` (Consul would answer a 500).
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
        spec["Behavior"] = _behavior(behavior, "behavior")
    elif "Behavior" in spec:
        _behavior(spec["Behavior"], "the spec's Behavior")
    if ttl is not None:
        spec["TTL"] = _params.format_duration(check_ttl(ttl))
    elif spec.get("TTL"):  # "" (a Session without a TTL written back): none
        check_ttl(spec["TTL"], "the spec's TTL")
    return dc_call("PUT", "/v1/session/create", decode_id, body=spec, **options)


def _behavior(value: object, name: str) -> object:
    if value not in ("release", "delete"):
        raise UsageError(f"{name} must be 'release' or 'delete', not {value!r}")
    return value


def check_ttl(value: object, name: str = "ttl") -> float:
    """A session TTL in seconds (Consul answers one out of its bounds with a 500).

    Raises:
        UsageError: It is not a duration between 10s and 24h.
    """
    seconds = _params.parse_duration(value, name)
    if not _MIN_TTL <= seconds <= _MAX_TTL:
        raise UsageError(f"{name} must be between 10s and 24h, got {value!r}")
    return seconds


def _session_path(action: str, session: object) -> str:
    return f"/v1/session/{action}/{_params.path_segment(session, 'session')}"


# A session ID that is not a UUID names no session (Consul answers a 500).
_MALFORMED = {MALFORMED_UUID: NotFound}


@builder(like=_SESSIONS.delete)
def destroy(session: _params.IdLike, **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
    """Destroy a session, releasing (or deleting) the keys it locks."""
    path = _session_path("destroy", session)
    return dc_call("PUT", path, decode_bool, error_texts=_MALFORMED, **options)


@builder(like=_SESSIONS.read)
def info(
    session: _params.IdLike, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[Session, QueryMeta]]:
    """Read a session."""
    path = _session_path("info", session)
    return indexed_read(path, _decode_single, error_texts=_MALFORMED, **options)


@builder(like=_SESSIONS.named)
def renew(
    session: _params.IdLike, **options: Unpack[NamespacedWriteOptions]
) -> Call[tuple[Session, QueryMeta]]:
    """Renew a TTL session.

    Returns:
        The session (its TTL may have been raised by the server) and the metadata.

    Raises:
        NotFound: The session no longer exists: it expired or was destroyed.
    """
    path = _session_path("renew", session)
    return dc_call("PUT", path, with_meta(_decode_single), error_texts=_MALFORMED, **options)


@builder(like=_SESSIONS.items)
def node(
    node: str, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[list[Session], QueryMeta]]:
    """List the sessions of a node.

    Args:
        node: The node's name (or a mapping with ``"Node"``).
    """
    name = _params.path_segment(node, "node", key="Node")
    return indexed_read(f"/v1/session/node/{name}", _decode_sessions, **options)


@builder(like=_SESSIONS.items)
def items(**options: Unpack[NamespacedReadOptions]) -> Call[tuple[list[Session], QueryMeta]]:
    """List every session of the datacenter."""
    return indexed_read("/v1/session/list", _decode_sessions, **options)
