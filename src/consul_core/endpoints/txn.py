"""Builders for transactions: ``PUT /v1/txn``.

A transaction is a list of operations, which Consul applies all or none of (at most 64):
KV operations (`TxnOp`, built by `op`) and catalog operations on nodes, service instances and
checks (`CatalogTxnOp`, built by `node_op`, `service_op` and `check_op`).

Rules (Consul's ``agent/txn_endpoint.go`` and the Go client's ``api/txn.go``):
- A catalog verb is ``get``, ``set``, ``cas``, ``delete`` or ``delete-cas``. ``set`` and ``cas``
  send the whole object (a model read before, or a mapping in Consul's shape, kept as it is);
  the other verbs send only what names it, and ``delete-cas`` its ``ModifyIndex``.
- ``cas`` and ``delete-cas`` apply only if the object's modify index is still the one sent
  (``cas`` with 0: only if it does not exist): ``index=``, else the ``ModifyIndex`` the object
  carries; neither is a `UsageError`, never a silent "create only".
- A service instance and a check live on a node: their operations name it, and a check that
  names another node is refused.
- The HTTP API has no session operations (Consul 1.8.7 answers 400 ``unknown field
  "Session"``, and the current docs list none): sessions are written with ``client.session``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias, overload

import attrs

from consul_core import _params
from consul_core._codec import DecodeError, as_list, as_object, decode_json, to_json
from consul_core.call import Call
from consul_core.endpoints import kv
from consul_core.endpoints._common import dc_call
from consul_core.endpoints._options import Unpack, WriteOptions, builder
from consul_core.errors import TransactionError, TxnError, UsageError
from consul_core.http import Request, Response
from consul_core.meta import UINT64_MAX, QueryMeta
from consul_core.models.agent_services import AgentService
from consul_core.models.catalog import HealthCheck, Node, NodeService
from consul_core.models.kv import KeyValue
from consul_core.models.txn import TxnResult, decode_results

__all__ = [
    "MAX_OPERATIONS",
    "AnyTxnOp",
    "CatalogTxnOp",
    "CatalogVerb",
    "TxnOp",
    "TxnResult",
    "TxnVerb",
    "check_op",
    "execute",
    "node_op",
    "op",
    "service_op",
]

MAX_OPERATIONS = 64

TxnVerb = Literal[
    "set",
    "cas",
    "lock",
    "unlock",
    "get",
    "get-or-empty",
    "get-tree",
    "check-index",
    "check-session",
    "check-not-exists",
    "delete",
    "delete-tree",
    "delete-cas",
]
CatalogVerb = Literal["get", "set", "cas", "delete", "delete-cas"]

_NEEDS_VALUE = frozenset({"set", "cas", "lock", "unlock"})
_NEEDS_INDEX = frozenset({"cas", "check-index", "delete-cas"})
_NEEDS_SESSION = frozenset({"lock", "unlock", "check-session"})
_PREFIX_VERBS = frozenset({"get-tree", "delete-tree"})
_CATALOG_VERBS: frozenset[str] = frozenset({"get", "set", "cas", "delete", "delete-cas"})
_WHOLE = frozenset({"set", "cas"})
_CAS = frozenset({"cas", "delete-cas"})


@attrs.frozen
class TxnOp:
    """One KV operation of a transaction, validated.

    Attributes:
        verb: Consul's verb.
        key: The key (a prefix for the tree verbs).
        value: The value for the writing verbs.
        flags: Flags for the writing verbs.
        index: The modify index for the CAS and check verbs.
        session: The session for the lock verbs and ``check-session``.
    """

    verb: TxnVerb
    key: str
    value: bytes | None = None
    flags: int | None = None
    index: int | None = None
    session: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The operation as Consul's ``{"KV": {...}}`` object."""
        kv: dict[str, Any] = {"Verb": self.verb, "Key": self.key}
        if self.value is not None:
            kv["Value"] = base64.b64encode(self.value).decode()
        if self.flags is not None:
            kv["Flags"] = self.flags
        if self.index is not None:
            kv["Index"] = self.index
        if self.session is not None:
            kv["Session"] = self.session
        return {"KV": kv}


@attrs.frozen
class CatalogTxnOp:
    """One catalog operation of a transaction, validated: on a node, a service instance or a
    check.

    Attributes:
        kind: ``"Node"``, ``"Service"`` or ``"Check"``.
        verb: Consul's verb.
        fields: The operation's fields besides ``Verb``, in Consul's JSON shape
            (``{"Node": {...}}``, ``{"Node": "n1", "Service": {...}}``, ``{"Check": {...}}``).
    """

    kind: Literal["Node", "Service", "Check"]
    verb: CatalogVerb
    fields: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The operation as Consul's ``{"<kind>": {"Verb": ..., ...}}`` object."""
        return {self.kind: {"Verb": self.verb, **self.fields}}


AnyTxnOp: TypeAlias = TxnOp | CatalogTxnOp
"""Any operation of a transaction."""


def op(
    verb: TxnVerb,
    key: str,
    *,
    value: bytes | str | None = None,
    flags: int | None = None,
    index: _params.IndexLike | None = None,
    session: _params.IdLike | None = None,
) -> TxnOp:
    """Build and validate one KV operation.

    Args:
        verb: Consul's verb, such as ``"set"`` or ``"check-index"`` (``"get-or-empty"``, a
            ``get`` that yields an entry without a value for a missing key, is newer than
            Consul 1.8).
        key: The key, or the prefix for ``get-tree`` and ``delete-tree``.
        value: The value, for ``set``, ``cas``, ``lock`` and ``unlock``.
        flags: Flags, for the writing verbs.
        index: The modify index, for ``cas``, ``check-index`` and ``delete-cas``.
        session: The session, for ``lock``, ``unlock`` and ``check-session``.

    Returns:
        The operation.

    Raises:
        UsageError: A required argument is missing or invalid; the key is empty or holds a
            lone surrogate; or a writing verb's key is one the agent cannot address over HTTP
            (see `kv.check_key`: a key written here should be readable with `kv.get`).
    """
    # Never empty, a prefix either: Consul refuses an empty key to get-tree, and an empty
    # prefix to delete-tree would delete every key.
    prefix = verb in _PREFIX_VERBS
    if verb in _NEEDS_VALUE:
        text = kv.check_key(key, prefix=prefix, empty=False)
    else:
        # The body carries the key, past the HTTP router's rules: the other verbs reach any
        # key, such as one another client wrote here ("/lead"), which no path can address.
        text = _params.check_str(key, "prefix" if prefix else "key")
    if verb in _NEEDS_VALUE and value is None:
        raise UsageError(f"the transaction verb {verb!r} needs a value")
    if verb in _NEEDS_INDEX and index is None:
        raise UsageError(f"the transaction verb {verb!r} needs an index")
    if verb in _NEEDS_SESSION and session is None:
        raise UsageError(f"the transaction verb {verb!r} needs a session")
    return TxnOp(
        verb,
        text,
        None if value is None else _params.check_bytes(value, "value"),
        None if flags is None else _params.check_int(flags, "flags", maximum=UINT64_MAX),
        None if index is None else _params.to_index(index),
        None if session is None else _params.to_id(session, "session"),
    )


def _check_verb(verb: object) -> CatalogVerb:
    if verb not in _CATALOG_VERBS:
        raise UsageError(f"a catalog verb is one of {sorted(_CATALOG_VERBS)}, not {verb!r}")
    return verb  # type: ignore[return-value]  # checked just above


def _object(value: object, name: str, models: tuple[type, ...]) -> dict[str, Any]:
    """`value` (one of `models`, or a mapping in Consul's shape) as a JSON object."""
    if isinstance(value, (*models, Mapping)):
        return dict(to_json(value))
    kinds = ", ".join(model.__name__ for model in models)
    raise UsageError(f"{name} must be a {kinds} or a mapping in Consul's shape")


def _identity(whole: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: whole[key] for key in keys if whole.get(key)}


def _finish(
    verb: CatalogVerb, whole: dict[str, Any], keys: tuple[str, ...], index: object, what: str
) -> dict[str, Any]:
    """What a verb sends of an object: all of it for ``set`` and ``cas``, else what names it;
    the modify index for the CAS verbs.
    """
    sent = whole if verb in _WHOLE else _identity(whole, keys)
    if verb in _CAS:
        if index is not None:
            sent["ModifyIndex"] = _params.to_index(index)
        elif "ModifyIndex" in whole:
            sent["ModifyIndex"] = _params.to_index(
                whole["ModifyIndex"], f"the {what}'s ModifyIndex"
            )
        else:
            raise UsageError(f"the {what} verb {verb!r} needs index= or a {what} with ModifyIndex")
    return sent


def _node_name(node: object) -> str:
    name = node if isinstance(node, str) else _object(node, "node", (Node,)).get("Node")
    return _params.check_str(name, "the node's name")


def node_op(
    verb: CatalogVerb,
    node: str | Node | Mapping[str, Any],
    *,
    index: _params.IndexLike | None = None,
) -> CatalogTxnOp:
    """Build and validate one operation on a catalog node (its services and checks are
    operations of their own).

    Args:
        verb: ``"get"``, ``"set"``, ``"cas"``, ``"delete"`` or ``"delete-cas"``.
        node: The node: its name (for ``get`` and the deletes), or a `Node` (one read before,
            changed with `msgspec.structs.replace`) or a mapping in Consul's shape with
            ``Node`` (and ``ID``, which Consul prefers when both are set).
        index: For ``cas`` and ``delete-cas``: the modify index the node must still have
            (``cas`` with 0: only if it does not exist); default the node's ``ModifyIndex``.

    Returns:
        The operation; it yields the `Node` (not the deletes).

    Raises:
        UsageError: The verb is unknown, the node has no name, or a CAS verb has no index.
    """
    checked = _check_verb(verb)
    whole = {"Node": node} if isinstance(node, str) else _object(node, "node", (Node,))
    _params.check_str(whole.get("Node"), "the node's Node")
    sent = _finish(checked, whole, ("ID", "Node"), index, "node")
    return CatalogTxnOp("Node", checked, {"Node": sent})


def service_op(
    verb: CatalogVerb,
    node: str | Node | Mapping[str, Any],
    service: str | NodeService | AgentService | Mapping[str, Any],
    *,
    index: _params.IndexLike | None = None,
) -> CatalogTxnOp:
    """Build and validate one operation on a service instance of a catalog node.

    Consul 1.8 stores the instance's ``ID``, ``Service``, ``Tags``, ``Address``, ``Meta``,
    ``Port``, ``Weights`` and ``EnableTagOverride`` from a transaction (a registration with
    ``catalog.register`` takes the rest: ``Kind``, ``Proxy``, ``Connect``, ...).

    Args:
        verb: ``"get"``, ``"set"``, ``"cas"``, ``"delete"`` or ``"delete-cas"``.
        node: The node's name, or a `Node` or a mapping with ``Node``.
        service: The instance: its ID (for ``get`` and the deletes), or a `NodeService` (one
            read before), an `AgentService` or a mapping in Consul's shape with ``ID`` and,
            to write it, ``Service`` (its name).
        index: For ``cas`` and ``delete-cas``: the modify index the instance must still have
            (``cas`` with 0: only if it does not exist); default its ``ModifyIndex``.

    Returns:
        The operation; it yields the `NodeService` (not the deletes).

    Raises:
        UsageError: The verb is unknown, the node or the instance is not named, or a CAS verb
            has no index.
    """
    checked = _check_verb(verb)
    models = (NodeService, AgentService)
    whole = {"ID": service} if isinstance(service, str) else _object(service, "service", models)
    _params.check_str(whole.get("ID"), "the service's ID")
    if checked in _WHOLE:
        _params.check_str(whole.get("Service"), "the service's Service (its name)")
    sent = _finish(checked, whole, ("ID",), index, "service")
    return CatalogTxnOp("Service", checked, {"Node": _node_name(node), "Service": sent})


def check_op(
    verb: CatalogVerb,
    node: str | Node | Mapping[str, Any],
    check: str | HealthCheck | Mapping[str, Any],
    *,
    index: _params.IndexLike | None = None,
) -> CatalogTxnOp:
    """Build and validate one operation on a check of a catalog node.

    Args:
        verb: ``"get"``, ``"set"``, ``"cas"``, ``"delete"`` or ``"delete-cas"``.
        node: The node's name, or a `Node` or a mapping with ``Node``.
        check: The check: its ``CheckID`` (for ``get`` and the deletes), or a `HealthCheck`
            (one read before) or a mapping in Consul's shape with ``CheckID`` (and, to write
            it, ``Name`` and ``Status``; ``ServiceID`` ties it to an instance of the node).
        index: For ``cas`` and ``delete-cas``: the modify index the check must still have
            (``cas`` with 0: only if it does not exist); default its ``ModifyIndex``.

    Returns:
        The operation; it yields the `HealthCheck` (not the deletes).

    Raises:
        UsageError: The verb is unknown, the node or the check is not named, the check names
            another node, or a CAS verb has no index.
    """
    checked = _check_verb(verb)
    name = _node_name(node)
    whole = (
        {"CheckID": check} if isinstance(check, str) else _object(check, "check", (HealthCheck,))
    )
    _params.check_str(whole.get("CheckID"), "the check's CheckID")
    if whole.setdefault("Node", name) != name:
        raise UsageError(f"the check names node {whole['Node']!r}, not {name!r}")
    sent = _finish(checked, whole, ("Node", "CheckID"), index, "check")
    return CatalogTxnOp("Check", checked, {"Check": sent})


def _decode(response: Response) -> tuple[list[TxnResult], QueryMeta]:
    results = decode_results(as_object(decode_json(response.body)).get("Results"))
    return results, QueryMeta.from_headers(response.headers)


def _txn_error(data: object) -> TxnError:
    error = as_object(data)
    op_index, what = error.get("OpIndex", 0), error.get("What", "")
    if type(op_index) is not int or type(what) is not str:
        raise DecodeError("expected OpIndex (an integer) and What (a string)")
    return TxnError(op_index, what)


def _rolled_back(request: Request, response: Response) -> TransactionError | None:
    if response.status != 409:
        return None
    try:
        errors = as_list(as_object(decode_json(response.body)).get("Errors"))
        return TransactionError(request, response, [_txn_error(error) for error in errors])
    except DecodeError:
        return None  # not a transaction's errors: the common mapping (Conflict) applies


# KV operations alone yield entries alone (pyright objects that the second signature covers
# them too, with an incompatible list type: the first is the one that applies).
@overload
def execute(  # pyright: ignore[reportOverlappingOverload]
    operations: Sequence[TxnOp], **options: Unpack[WriteOptions]
) -> Call[tuple[list[KeyValue], QueryMeta]]: ...
@overload
def execute(
    operations: Sequence[AnyTxnOp], **options: Unpack[WriteOptions]
) -> Call[tuple[list[TxnResult], QueryMeta]]: ...
@builder
def execute(
    operations: Sequence[AnyTxnOp], **options: Unpack[WriteOptions]
) -> Call[tuple[list[Any], QueryMeta]]:
    """Run operations as one transaction.

    Args:
        operations: Between 1 and 64 operations: KV ones (`op`) and catalog ones
            (`node_op`, `service_op`, `check_op`), in any order.

    Returns:
        The results Consul returned, in the order of the operations that yield them: a
        `KeyValue` per KV entry read or written (``get-tree`` yields one per entry; a write's
        has no value), a `Node`, a `NodeService` or a `HealthCheck` per catalog read or write
        (deletes and checks yield none); and the metadata (``index`` 0: Consul sends none).

    Raises:
        TransactionError: Consul rolled the transaction back; ``.errors`` says why, per
            operation (a denied operation is one of them).
        UsageError: No operations, more than 64, or an invalid argument.
    """
    if not operations:
        raise UsageError("a transaction needs at least one operation")
    if len(operations) > MAX_OPERATIONS:
        raise UsageError(f"Consul caps a transaction at {MAX_OPERATIONS} operations")
    if not all(isinstance(operation, (TxnOp, CatalogTxnOp)) for operation in operations):
        raise UsageError("operations must be built by txn.op, node_op, service_op or check_op")
    body = [operation.to_json() for operation in operations]
    call = dc_call("PUT", "/v1/txn", _decode, body=body, **options)
    return attrs.evolve(call, on_error=_rolled_back)
