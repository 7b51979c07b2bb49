"""Models of transaction results: ``PUT /v1/txn``.

Each result is the object one operation read or wrote, under the key of its kind: a KV entry
(`KeyValue`), a catalog node (`Node`), a service instance on a node (`NodeService`) or a check
(`HealthCheck`). Deletes and KV checks yield none, a ``get-tree`` one per entry.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeAlias

from consul_core._codec import as_list, as_object, from_json
from consul_core.models.catalog import HealthCheck, Node, NodeService
from consul_core.models.kv import KeyValue, decode_entry

__all__ = ["TxnResult", "decode_results"]

TxnResult: TypeAlias = KeyValue | Node | NodeService | HealthCheck
"""One result of a transaction."""

_DECODERS: dict[str, Callable[[Any], TxnResult]] = {
    "KV": decode_entry,
    "Node": partial(from_json, Node),
    "Service": partial(from_json, NodeService),
    "Check": partial(from_json, HealthCheck),
}


def decode_results(data: Any) -> list[TxnResult]:
    """Decode the ``Results`` of a transaction's reply (null is none).

    A result of a kind this version does not know (a newer Consul's) is left out: the
    transaction was applied, and what it returned of the known kinds is still worth having.

    Raises:
        DecodeError: ``Results`` is not a list, or a result is not an object of its kind.
    """
    results: list[TxnResult] = []
    for item in as_list(data):
        for kind, value in as_object(item).items():
            decode = _DECODERS.get(kind)
            if decode is not None and value is not None:
                results.append(decode(value))
    return results
