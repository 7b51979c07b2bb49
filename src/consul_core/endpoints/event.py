"""Builders for user events: ``/v1/event``.

Rules:
- Events travel by gossip: each agent lists the events it received (the last 256), and one
  fired with node, service or tag filters reaches only the agents that match them.
- The index of ``/v1/event/list`` is not a Raft index: it is a hash of the ID of the newest
  event listed (1 when none), so it moves in no particular direction. A blocking list returns
  as soon as that hash differs from the index sent; compare indexes for equality, never order.
- The list takes ``name`` alone: the docs also list ``node``, ``service`` and ``tag`` for it,
  but Consul's handler reads none of them (they are the filters of a fire).
"""

from __future__ import annotations

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import dc_call, local_watch, model, model_list
from consul_core.endpoints._options import (
    LocalWatchOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.event import Event

__all__ = ["fire", "items"]


def _event_name(name: object) -> str:
    text = _params.check_str(name, "name")
    if text.startswith("_"):
        raise UsageError(f"event names starting with '_' are reserved for Consul: {text!r}")
    return text


@builder
def fire(
    name: str,
    payload: bytes | str | None = None,
    *,
    service: str | None = None,
    node: str | None = None,
    tag: str | None = None,
    **options: Unpack[WriteOptions],
) -> Call[Event]:
    """Fire a user event.

    Args:
        name: The event's name (not starting with ``_``).
        payload: An opaque payload (a `str` is sent as UTF-8); Consul caps the event at about
            512 bytes in all.
        service: Deliver only to agents with a service whose name matches this regular expression.
        node: Deliver only to agents whose node name matches this regular expression.
        tag: With `service`: only to agents where that service has a tag matching this regular
            expression.

    Returns:
        The event as fired, with its ID.

    Raises:
        UsageError: An argument is invalid, or `tag` is given without `service`.
    """
    path = "/v1/event/fire/" + _params.path_segment(_event_name(name), "name")
    params: _params.Params = []
    for key, value in (("node", node), ("service", service), ("tag", tag)):
        if value is not None:
            params.append((key, _params.check_str(value, key)))
    if tag is not None and service is None:
        raise UsageError("tag filters the events of a service: give service too")
    body = None if payload is None else _params.check_bytes(payload, "payload")
    return dc_call("PUT", path, model(Event), params=params, raw_body=body or None, **options)


@builder
def items(
    name: str | None = None, **options: Unpack[LocalWatchOptions]
) -> Call[tuple[list[Event], QueryMeta]]:
    """List the user events the agent received, oldest first.

    Args:
        name: Only events of this name.
        watch: A blocking read until the list changes: a `QueryMeta` or an index from a previous
            list (see the module's note on this index), or ``(index, wait)``.

    Returns:
        The events and the read's metadata.
    """
    params = [] if name is None else [("name", _params.check_str(name, "name"))]
    return local_watch("/v1/event/list", model_list(Event), params=params, **options)
