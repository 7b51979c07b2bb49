"""Builders for Connect intentions: ``/v1/connect/intentions``.

Consul 1.8 addresses intentions by ID; the ``exact`` endpoints that address them by source and
destination came with Consul 1.9.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from consul_core import _params
from consul_core._codec import decode_json, each_value, get_field, list_of, to_json
from consul_core.call import Call
from consul_core.endpoints import _docs
from consul_core.endpoints._common import (
    dc_call,
    decode_bool,
    decode_id,
    decode_ok,
    indexed_read,
    model,
    model_list,
)
from consul_core.endpoints._options import (
    NamespacedFilteredReadOptions,
    NamespacedReadOptions,
    NamespacedWriteOptions,
    ReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import MALFORMED_UUID, Conflict, NotFound, UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.connect import Intention, IntentionMatchBy

__all__ = [
    "intention_check",
    "intention_create",
    "intention_delete",
    "intention_delete_exact",
    "intention_exact",
    "intention_match",
    "intention_read",
    "intention_update",
    "intention_upsert",
    "intentions",
]


# Consul answers a missing intention with a 500 on writes, and a malformed ID with a 400.
_INTENTION_TEXTS = {
    "non-existent intention": NotFound,
    MALFORMED_UUID: NotFound,
    "duplicate intention found": Conflict,
}
_ACTIONS = ("allow", "deny")
_EXACT = "/v1/connect/intentions/exact"


@builder
def intentions(
    **options: Unpack[NamespacedFilteredReadOptions],
) -> Call[tuple[list[Intention], QueryMeta]]:
    """List the intentions.

    Args:
        filter: A filter expression (``'SourceName == "web"'``).

    Returns:
        The intentions the token may read, and the read's metadata.
    """
    return indexed_read("/v1/connect/intentions", model_list(Intention), **options)


def _intention_body(intention: object, *, need_action: bool = True) -> dict[str, Any]:
    if isinstance(intention, Intention):
        body: dict[str, Any] = to_json(intention)
    elif isinstance(intention, Mapping):
        body = dict(intention)
    else:
        raise UsageError("intention must be an Intention or a mapping of Consul's fields")
    # The ID-based API of Consul 1.8 knows only L4 intentions, which need an action; an L7
    # intention (Consul 1.9+) has permissions instead.
    action = body.get("Action")
    if not need_action and body.get("Permissions") and not action:
        return body
    if action not in _ACTIONS:
        wanted = "'allow' or 'deny'" if need_action else "'allow' or 'deny', or Permissions"
        raise UsageError(f"an intention's Action must be {wanted}: {action!r}")
    return body


# The endpoints beside ``/v1/connect/intentions/<id>``, whose words an ID must not be.
_WORDS = frozenset({"match", "check", "exact"})


def _intention_path(intention: object) -> str:
    return f"/v1/connect/intentions/{_params.path_segment(intention, 'intention', routed=_WORDS)}"


def _pair(source: object, destination: object) -> _params.Params:
    return [
        ("source", _params.check_str(source, "source")),
        ("destination", _params.check_str(destination, "destination")),
    ]


# The writes of intentions: `dc_call` reading Consul's error texts about them.
_intention_call = partial(dc_call, error_texts=_INTENTION_TEXTS)
_INTENTIONS = _docs.sentences("intention", "intentions", "intention", "Intention")


@builder
def intention_create(
    intention: Intention | Mapping[str, Any], **options: Unpack[NamespacedWriteOptions]
) -> Call[str]:
    """Create an intention (Consul 1.8's ID-based API).

    Deprecated in Consul 1.9: `intention_upsert` writes one by its source and destination.

    Args:
        intention: An `Intention`, or a mapping with ``SourceName``, ``DestinationName`` and
            ``Action``.
        token: An ACL token for this call only (needs ``intentions:write`` on the destination).

    Returns:
        The new intention's ID.

    Raises:
        Conflict: An intention for this source and destination exists.
    """
    body = _intention_body(intention)
    return _intention_call("POST", "/v1/connect/intentions", decode_id, body=body, **options)


@builder(like=_INTENTIONS.read)
def intention_read(
    intention: object, **options: Unpack[ReadOptions]
) -> Call[tuple[Intention, QueryMeta]]:
    """Read an intention by ID.

    Deprecated in Consul 1.9: `intention_exact` reads one by its source and destination.

    Args:
        watch: A blocking read (Consul 1.8 blocks but sends no index: ``meta.index`` is 0).
    """
    return indexed_read(
        _intention_path(intention),
        model(Intention),
        error_texts=_INTENTION_TEXTS,
        **options,
    )


@builder(like=_INTENTIONS.read)
def intention_update(
    intention: Intention | Mapping[str, Any], **options: Unpack[WriteOptions]
) -> Call[bool]:
    """Replace an intention, found by the ``ID`` it carries.

    Deprecated in Consul 1.9: `intention_upsert` writes one by its source and destination.

    Args:
        intention: The new intention with the ``ID`` of the one to replace: an `Intention`
            (e.g. one `intention_read` returned, changed with
            `msgspec.structs.replace`) or a mapping.

    Returns:
        True when replaced.
    """
    path, body = _intention_path(intention), _intention_body(intention)
    return _intention_call("PUT", path, decode_ok, body=body, **options)


@builder(like=_INTENTIONS.read)
def intention_delete(intention: object, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Delete an intention by ID.

    Deprecated in Consul 1.9: `intention_delete_exact` deletes one by its source and
    destination.

    Returns:
        True when deleted.
    """
    return _intention_call("DELETE", _intention_path(intention), decode_ok, **options)


def _decode_allowed(response: Response) -> bool:
    return get_field(decode_json(response.body), "Allowed", bool)


@builder(needs="intentions:read")
def intention_check(
    source: str,
    destination: str,
    *,
    source_type: str | None = None,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[bool]:
    """Tell whether the intentions (and the ACL default policy) let `source` reach `destination`.

    Args:
        source: The source service.
        destination: The destination service.
        source_type: The kind of source; only ``"consul"`` (the default) exists.

    Returns:
        Whether a connection would be allowed.
    """
    params = _pair(source, destination)
    if source_type is not None:
        params.append(("source-type", _params.check_str(source_type, "source_type")))
    path = "/v1/connect/intentions/check"
    return dc_call("GET", path, _decode_allowed, params=params, **options)


def _decode_matches(response: Response) -> dict[str, list[Intention]]:
    return each_value(decode_json(response.body), partial(list_of, Intention))


@builder
def intention_match(
    by: IntentionMatchBy, name: str | Sequence[str], **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[dict[str, list[Intention]], QueryMeta]]:
    """List the intentions that apply to services, as source or as destination.

    Args:
        by: ``"source"`` or ``"destination"``.
        name: A service name, or several.
        watch: A blocking read (Consul 1.8 blocks but sends no index: ``meta.index`` is 0).

    Returns:
        For each name, its intentions in evaluation order (highest precedence first), and
        the read's metadata.
    """
    if by not in ("source", "destination"):
        raise UsageError(f"by must be 'source' or 'destination', not {by!r}")
    names = [name] if isinstance(name, str) else name
    if not isinstance(names, Sequence) or not names:
        raise UsageError("name must be a service name or a non-empty list of them")
    params = [("by", by), *(("name", _params.check_str(n, "name")) for n in names)]
    return indexed_read(
        "/v1/connect/intentions/match",
        _decode_matches,
        params=params,
        **options,
    )


@builder
def intention_exact(
    source: str, destination: str, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[Intention, QueryMeta]]:
    """Read the intention from `source` to `destination` (Consul 1.9+).

    Args:
        source: The source service.
        destination: The destination service.

    Returns:
        The intention and the read's metadata.

    Raises:
        NotFound: No intention joins them.
    """
    return indexed_read(
        _EXACT,
        model(Intention),
        params=_pair(source, destination),
        **options,
    )


@builder
def intention_upsert(
    intention: Intention | Mapping[str, Any], **options: Unpack[NamespacedWriteOptions]
) -> Call[bool]:
    """Create or replace the intention from its source to its destination (Consul 1.9+).

    Args:
        intention: An `Intention`, or a mapping with ``SourceName`` and ``DestinationName``
            and either ``Action`` or (L7) ``Permissions``.

    Returns:
        True when written.
    """
    body = _intention_body(intention, need_action=False)
    params = _pair(body.get("SourceName"), body.get("DestinationName"))
    return _intention_call("PUT", _EXACT, decode_bool, params=params, body=body, **options)


@builder
def intention_delete_exact(
    source: str, destination: str, **options: Unpack[NamespacedWriteOptions]
) -> Call[bool]:
    """Delete the intention from `source` to `destination` (Consul 1.9+).

    Args:
        source: The source service.
        destination: The destination service.

    Returns:
        True.
    """
    params = _pair(source, destination)
    return _intention_call("DELETE", _EXACT, decode_ok, params=params, **options)
