"""Builders for KV transactions: ``PUT /v1/txn``.

A transaction is a list of `TxnOp`; Consul applies all of them or none, and caps a transaction
at 64 operations.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from consul_core import _params
from consul_core._codec import DecodeError, as_list, as_object, decode_json
from consul_core.call import Call
from consul_core.endpoints import kv
from consul_core.endpoints._common import dc_call
from consul_core.endpoints._options import WriteOptions, builder
from consul_core.errors import TransactionError, TxnError, UsageError
from consul_core.http import Request, Response
from consul_core.meta import QueryMeta
from consul_core.models.kv import KeyValue, decode_entry

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["MAX_OPERATIONS", "TxnOp", "TxnVerb", "execute", "op"]

MAX_OPERATIONS = 64

TxnVerb = Literal[
    "set",
    "cas",
    "lock",
    "unlock",
    "get",
    "get-tree",
    "check-index",
    "check-session",
    "check-not-exists",
    "delete",
    "delete-tree",
    "delete-cas",
]

_NEEDS_VALUE = frozenset({"set", "cas", "lock", "unlock"})
_NEEDS_INDEX = frozenset({"cas", "check-index", "delete-cas"})
_NEEDS_SESSION = frozenset({"lock", "unlock", "check-session"})
_PREFIX_VERBS = frozenset({"get-tree", "delete-tree"})


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


def op(
    verb: TxnVerb,
    key: str,
    *,
    value: bytes | str | None = None,
    flags: int | None = None,
    index: _params.IndexLike | None = None,
    session: object = None,
) -> TxnOp:
    """Build and validate one transaction operation.

    Args:
        verb: Consul's verb, such as ``"set"`` or ``"check-index"``.
        key: The key, or the prefix for ``get-tree`` and ``delete-tree``.
        value: The value, for ``set``, ``cas``, ``lock`` and ``unlock``.
        flags: Flags, for the writing verbs.
        index: The modify index, for ``cas``, ``check-index`` and ``delete-cas``.
        session: The session, for ``lock``, ``unlock`` and ``check-session``.

    Returns:
        The operation.

    Raises:
        UsageError: A required argument is missing or invalid, or the key is one the agent
            cannot address over HTTP (see `kv.check_key`: a key written here should be
            readable with `kv.get`).
    """
    text = kv.check_key(key, prefix=verb in _PREFIX_VERBS)
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
        None if flags is None else _params.check_int(flags, "flags", maximum=2**64 - 1),
        None if index is None else _params.to_index(index),
        None if session is None else _params.to_id(session, "session"),
    )


def _decode(response: Response) -> tuple[list[KeyValue], QueryMeta]:
    results = as_list(as_object(decode_json(response.body)).get("Results"))
    found = (as_object(item).get("KV") for item in results)
    entries = [decode_entry(kv) for kv in found if kv is not None]
    return entries, QueryMeta.from_headers(response.headers)


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


@builder
def execute(
    operations: Sequence[TxnOp], **options: Unpack[WriteOptions]
) -> Call[tuple[list[KeyValue], QueryMeta]]:
    """Run KV operations as one transaction.

    Args:
        operations: Between 1 and 64 operations.

    Returns:
        One `KeyValue` per result Consul returns (reads, and the entries that writes made) and
        the metadata (``index`` 0: Consul sends none for a transaction).

    Raises:
        TransactionError: Consul rolled the transaction back; ``.errors`` says why.
        UsageError: No operations, more than 64, or an invalid argument.
    """
    if not operations:
        raise UsageError("a transaction needs at least one operation")
    if len(operations) > MAX_OPERATIONS:
        raise UsageError(f"Consul caps a transaction at {MAX_OPERATIONS} operations")
    body = [operation.to_json() for operation in operations]
    call = dc_call("PUT", "/v1/txn", _decode, body=body, **options)
    return attrs.evolve(call, on_error=_rolled_back)
