"""The ``kv`` namespace and its transactions."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Generic, overload

from consul_core import _params
from consul_core.binding import AsyncDriver, D, Namespace, SyncDriver, endpoint, watcher
from consul_core.call import Call
from consul_core.endpoints import kv, txn
from consul_core.endpoints._options import WriteOptions
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.kv import KeyValue

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["KV", "Transaction"]

TxnResult = tuple[list[KeyValue], QueryMeta]


class Transaction(Generic[D]):
    """A KV transaction under construction; each verb adds an operation and returns it.

    Nothing is sent until `execute`. Consul applies every operation or none.
    """

    def __init__(self, driver: D) -> None:
        self.driver: D = driver
        self._operations: list[txn.TxnOp] = []

    @property
    def operations(self) -> list[txn.TxnOp]:
        """The operations added so far."""
        return list(self._operations)

    def _add(self, operation: txn.TxnOp) -> Transaction[D]:
        if len(self._operations) >= txn.MAX_OPERATIONS:
            raise UsageError(f"Consul caps a transaction at {txn.MAX_OPERATIONS} operations")
        self._operations.append(operation)
        return self

    def set(self, key: str, value: bytes | str, flags: int | None = None) -> Transaction[D]:
        """Add: write `key`."""
        return self._add(txn.op("set", key, value=value, flags=flags))

    def cas(
        self, key: str, value: bytes | str, *, index: _params.IndexLike, flags: int | None = None
    ) -> Transaction[D]:
        """Add: write `key` if its modify index is still `index`."""
        return self._add(txn.op("cas", key, value=value, index=index, flags=flags))

    def lock(
        self, key: str, value: bytes | str, *, session: object, flags: int | None = None
    ) -> Transaction[D]:
        """Add: write `key` and acquire its lock for `session`."""
        return self._add(txn.op("lock", key, value=value, session=session, flags=flags))

    def unlock(
        self, key: str, value: bytes | str, *, session: object, flags: int | None = None
    ) -> Transaction[D]:
        """Add: write `key` and release its lock held by `session`."""
        return self._add(txn.op("unlock", key, value=value, session=session, flags=flags))

    def get(self, key: str) -> Transaction[D]:
        """Add: read `key` (the transaction fails if it is missing)."""
        return self._add(txn.op("get", key))

    def get_tree(self, prefix: str) -> Transaction[D]:
        """Add: read every key under `prefix`."""
        return self._add(txn.op("get-tree", prefix))

    def check_index(self, key: str, *, index: _params.IndexLike) -> Transaction[D]:
        """Add: fail the transaction unless `key`'s modify index is `index`."""
        return self._add(txn.op("check-index", key, index=index))

    def check_session(self, key: str, *, session: object) -> Transaction[D]:
        """Add: fail the transaction unless `session` holds `key`'s lock."""
        return self._add(txn.op("check-session", key, session=session))

    def check_not_exists(self, key: str) -> Transaction[D]:
        """Add: fail the transaction if `key` exists."""
        return self._add(txn.op("check-not-exists", key))

    def delete(self, key: str) -> Transaction[D]:
        """Add: delete `key`."""
        return self._add(txn.op("delete", key))

    def delete_tree(self, prefix: str) -> Transaction[D]:
        """Add: delete every key under `prefix`."""
        return self._add(txn.op("delete-tree", prefix))

    def delete_cas(self, key: str, *, index: _params.IndexLike) -> Transaction[D]:
        """Add: delete `key` if its modify index is still `index`."""
        return self._add(txn.op("delete-cas", key, index=index))

    def call(self, **options: Unpack[WriteOptions]) -> Call[TxnResult]:
        """The sans-IO `Call` that runs this transaction (what `execute` sends)."""
        return txn.execute(self._operations, **options)

    @overload
    def execute(self: Transaction[SyncDriver], **options: Unpack[WriteOptions]) -> TxnResult: ...
    @overload
    def execute(
        self: Transaction[AsyncDriver], **options: Unpack[WriteOptions]
    ) -> Coroutine[Any, Any, TxnResult]: ...
    def execute(self, **options: Unpack[WriteOptions]) -> Any:
        """Send the transaction.

        Args:
            **options: ``dc``, the datacenter; ``token``, an ACL token for this call only.

        Returns:
            The entries Consul returned and the metadata (awaitable on the async clients).

        Raises:
            TransactionError: Consul rolled it back; ``.errors`` says why, per operation.
            UsageError: The transaction is empty.
        """
        return self.driver.execute(self.call(**options))


class KV(Namespace[D]):
    """The KV store: ``/v1/kv`` and ``/v1/txn``."""

    get = endpoint(kv.get)
    raw = endpoint(kv.raw)
    keys = endpoint(kv.keys)
    get_tree = endpoint(kv.get_tree)
    set = endpoint(kv.set)
    cas = endpoint(kv.cas)
    delete = endpoint(kv.delete)
    delete_cas = endpoint(kv.delete_cas)
    delete_tree = endpoint(kv.delete_tree)
    lock = endpoint(kv.lock)
    unlock = endpoint(kv.unlock)
    watch = watcher(kv.get)
    watch_tree = watcher(kv.get_tree)
    watch_keys = watcher(kv.keys)

    def prepare(self) -> Transaction[D]:
        """Start a transaction: chain its verbs, then ``execute()`` it.

        Returns:
            An empty transaction bound to this client.
        """
        return Transaction(self.driver)
