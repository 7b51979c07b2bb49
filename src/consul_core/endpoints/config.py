"""Builders for config entries: ``/v1/config``.

Entries are polymorphic by kind: each kind the current Consul docs define decodes to its model
(`ServiceDefaults`, `ServiceRouter`, `IngressGateway`, ...: ``CONFIG_ENTRY_KINDS``), any other
kind to the generic `ConfigEntry`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from consul_core import _params
from consul_core._codec import decode_json, each
from consul_core.call import Call
from consul_core.endpoints._common import (
    dc_call,
    decode_bool,
    decode_ok,
    indexed_read,
)
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    NamespacedWriteOptions,
    Unpack,
    builder,
)
from consul_core.errors import BadRequest, UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.config import (
    _NAMELESS,
    AnyConfigEntry,
    ConfigEntry,
    ConfigEntryBase,
    decode_entry,
    encode_entry,
)

__all__ = ["delete", "get", "items", "set"]

T = TypeVar("T")

# Consul answers an unknown kind in a path with a 500.
_INVALID_KIND = {"invalid config entry kind": BadRequest}


def _decode_one(response: Response) -> AnyConfigEntry:
    return decode_entry(decode_json(response.body))


def _decode_many(response: Response) -> list[AnyConfigEntry]:
    return each(decode_json(response.body), decode_entry)


def _kind_path(kind: object) -> str:
    # A kind is one word: the handler splits ``<kind>/<name>`` at the first "/".
    return f"/v1/config/{_params.path_segment(kind, 'kind', routed=frozenset())}"


def _entry_path(kind: object, name: object) -> str:
    return f"{_kind_path(kind)}/{_params.path_segment(name, 'name')}"


def _read(
    path: str, decode: Callable[[Response], T], options: NamespacedReadOptions
) -> Call[tuple[T, QueryMeta]]:
    return indexed_read(path, decode, error_texts=_INVALID_KIND, **options)


@builder
def get(
    kind: str, name: str, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[AnyConfigEntry, QueryMeta]]:
    """Read one config entry.

    Args:
        kind: The entry's kind (``"service-defaults"``, ``"proxy-defaults"``, ...).
        name: The entry's name (``"global"`` for ``proxy-defaults``).

    Returns:
        The entry (the model of its kind, such as `ServiceDefaults` or `ServiceResolver`, or a
        generic `ConfigEntry` for a kind without one) and the read's metadata.

    Raises:
        NotFound: No such entry; ``.meta.index`` is the index to watch from.
        BadRequest: Consul knows no such kind.
    """
    return _read(_entry_path(kind, name), _decode_one, options)


@builder
def items(
    kind: str, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[list[AnyConfigEntry], QueryMeta]]:
    """List the config entries of one kind.

    Args:
        kind: The kind.

    Returns:
        The entries (empty when there are none) and the read's metadata.

    Raises:
        BadRequest: Consul knows no such kind.
    """
    return _read(_kind_path(kind), _decode_many, options)


def _entry_body(entry: object) -> dict[str, Any]:
    if isinstance(entry, (ConfigEntryBase, ConfigEntry)):
        body = encode_entry(entry)
    elif isinstance(entry, Mapping):
        body = dict(entry)
    else:
        raise UsageError("entry must be a config entry model or a mapping in Consul's shape")
    kind = _params.check_str(body.get("Kind"), "the entry's Kind")
    # Both name the entry in paths later (`get`, `delete`): refused unless they can.
    _params.routed_segment(kind, "the entry's Kind")
    if kind not in _NAMELESS:
        name = _params.check_str(body.get("Name"), "the entry's Name")
        _params.check_path_text(name, "the entry's Name")
    return body


@builder
def set(
    entry: AnyConfigEntry | Mapping[str, Any],
    *,
    cas: _params.IndexLike | None = None,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[bool]:
    """Create or replace a config entry.

    Args:
        entry: A config entry model (`ServiceDefaults`, `ServiceIntentions`, ..., or a generic
            `ConfigEntry`), e.g. one read before, or a mapping in Consul's shape with ``Kind``
            and ``Name`` (no ``Name`` for ``mesh``).
        cas: Write only if the entry's modify index is still this (0: only if it does not
            exist): an int, a `QueryMeta`, or the entry that was read.

    Returns:
        True when written; False when `cas` was stale.

    Raises:
        BadRequest: Consul rejected the entry.
    """
    body = _entry_body(entry)
    params = [] if cas is None else [("cas", str(_params.to_index(cas, "cas")))]
    return dc_call("PUT", "/v1/config", decode_bool, params=params, body=body, **options)


@builder
def delete(
    kind: str,
    name: str,
    *,
    cas: _params.IndexLike | None = None,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[bool]:
    """Delete a config entry (deleting a missing entry succeeds).

    Args:
        kind: The entry's kind.
        name: The entry's name.
        cas: Delete only if the entry's modify index is still this (``?cas``, Consul 1.11 and
            later): an int, a `QueryMeta`, or the entry that was read. Not 0: Consul deletes
            nothing then. A Consul before 1.11 ignores it, deletes the entry whatever its
            index, and answers without the boolean this call expects.

    Returns:
        True; with `cas`, whether the entry was deleted (False: its modify index was not
        `cas`).

    Raises:
        UnexpectedResponse: With `cas`, the agent answered without a boolean: a Consul before
            1.11, which deleted the entry regardless.
        UsageError: An argument is invalid, or `cas` is 0.
    """
    path = _entry_path(kind, name)
    if cas is None:
        return dc_call("DELETE", path, decode_ok, **options)
    index = _params.to_index(cas, "cas")
    if index == 0:
        raise UsageError("cas must be a modify index above 0: Consul deletes nothing with cas=0")
    return dc_call("DELETE", path, decode_bool, params=(("cas", str(index)),), **options)
