"""The ``txn`` namespace and its transactions (``client.kv.prepare()`` makes the same ones).

A `Transaction` gathers operations through chainable methods and sends them in `execute`. Its
second type parameter is the type of its results: each method adds the type of what its
operation yields, so a KV-only transaction executes to ``list[KeyValue]`` and one that also
reads a node to ``list[KeyValue | Node]``. The KV verbs are methods of the transaction itself;
the catalog verbs are methods of its ``node``, ``service`` and ``check`` attributes, as Go's
``TxnOp`` has ``KV``, ``Node``, ``Service`` and ``Check``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast, overload

from consul_core import _params
from consul_core.binding import AsyncDriver, D, Namespace, SyncDriver
from consul_core.call import Call
from consul_core.endpoints import txn
from consul_core.endpoints._options import WriteOptions
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.agent_services import AgentService
from consul_core.models.catalog import HealthCheck, Node, NodeService
from consul_core.models.kv import KeyValue

if TYPE_CHECKING:
    from typing_extensions import Never, Unpack

__all__ = ["CheckVerbs", "NodeVerbs", "ServiceVerbs", "Transaction", "Txn"]

R_co = TypeVar("R_co", covariant=True)
V = TypeVar("V")
NodeLike = str | Node | Mapping[str, Any]


class Transaction(Generic[D, R_co]):
    """A transaction under construction; each verb adds an operation and returns it.

    Nothing is sent until `execute`. Consul applies every operation or none, at most 64.

    Attributes:
        node: The verbs on catalog nodes (``txn.node.set(...)``).
        service: The verbs on service instances of catalog nodes.
        check: The verbs on checks of catalog nodes.
    """

    def __init__(self, driver: D) -> None:
        self.driver: D = driver
        self._operations: list[txn.AnyTxnOp] = []
        self.node: NodeVerbs[D, R_co] = NodeVerbs(self)
        self.service: ServiceVerbs[D, R_co] = ServiceVerbs(self)
        self.check: CheckVerbs[D, R_co] = CheckVerbs(self)

    @property
    def operations(self) -> list[txn.AnyTxnOp]:
        """The operations added so far."""
        return list(self._operations)

    def add(self, operation: txn.AnyTxnOp) -> Transaction[D, Any]:
        """Add an operation built by `consul_core.endpoints.txn` (``op``, ``node_op``, ...).

        Raises:
            UsageError: The transaction holds 64 operations already.
        """
        if len(self._operations) >= txn.MAX_OPERATIONS:
            raise UsageError(f"Consul caps a transaction at {txn.MAX_OPERATIONS} operations")
        self._operations.append(operation)
        return self

    def _kv(self, operation: txn.TxnOp) -> Transaction[D, R_co | KeyValue]:
        return self.add(operation)

    def set(
        self, key: str, value: bytes | str, flags: int | None = None
    ) -> Transaction[D, R_co | KeyValue]:
        """Add: write `key`."""
        return self._kv(txn.op("set", key, value=value, flags=flags))

    def cas(
        self, key: str, value: bytes | str, *, index: _params.IndexLike, flags: int | None = None
    ) -> Transaction[D, R_co | KeyValue]:
        """Add: write `key` if its modify index is still `index`."""
        return self._kv(txn.op("cas", key, value=value, index=index, flags=flags))

    def lock(
        self, key: str, value: bytes | str, *, session: _params.IdLike, flags: int | None = None
    ) -> Transaction[D, R_co | KeyValue]:
        """Add: write `key` and acquire its lock for `session`."""
        return self._kv(txn.op("lock", key, value=value, session=session, flags=flags))

    def unlock(
        self, key: str, value: bytes | str, *, session: _params.IdLike, flags: int | None = None
    ) -> Transaction[D, R_co | KeyValue]:
        """Add: write `key` and release its lock held by `session`."""
        return self._kv(txn.op("unlock", key, value=value, session=session, flags=flags))

    def get(self, key: str) -> Transaction[D, R_co | KeyValue]:
        """Add: read `key` (the transaction fails if it is missing)."""
        return self._kv(txn.op("get", key))

    def get_or_empty(self, key: str) -> Transaction[D, R_co | KeyValue]:
        """Add: read `key`, or yield an entry without a value if it is missing (newer than
        Consul 1.8, which rolls the transaction back: unknown verb).
        """
        return self._kv(txn.op("get-or-empty", key))

    def get_tree(self, prefix: str) -> Transaction[D, R_co | KeyValue]:
        """Add: read every key under `prefix`."""
        return self._kv(txn.op("get-tree", prefix))

    def check_index(self, key: str, *, index: _params.IndexLike) -> Transaction[D, R_co | KeyValue]:
        """Add: fail the transaction unless `key`'s modify index is `index`."""
        return self._kv(txn.op("check-index", key, index=index))

    def check_session(
        self, key: str, *, session: _params.IdLike
    ) -> Transaction[D, R_co | KeyValue]:
        """Add: fail the transaction unless `session` holds `key`'s lock."""
        return self._kv(txn.op("check-session", key, session=session))

    def check_not_exists(self, key: str) -> Transaction[D, R_co | KeyValue]:
        """Add: fail the transaction if `key` exists."""
        return self._kv(txn.op("check-not-exists", key))

    def delete(self, key: str) -> Transaction[D, R_co | KeyValue]:
        """Add: delete `key`."""
        return self._kv(txn.op("delete", key))

    def delete_tree(self, prefix: str) -> Transaction[D, R_co | KeyValue]:
        """Add: delete every key under `prefix`."""
        return self._kv(txn.op("delete-tree", prefix))

    def delete_cas(self, key: str, *, index: _params.IndexLike) -> Transaction[D, R_co | KeyValue]:
        """Add: delete `key` if its modify index is still `index`."""
        return self._kv(txn.op("delete-cas", key, index=index))

    def call(self, **options: Unpack[WriteOptions]) -> Call[tuple[list[R_co], QueryMeta]]:
        """The sans-IO `Call` that runs this transaction (what `execute` sends)."""
        return cast("Call[tuple[list[R_co], QueryMeta]]", txn.execute(self._operations, **options))

    @overload
    def execute(
        self: Transaction[SyncDriver, R_co], **options: Unpack[WriteOptions]
    ) -> tuple[list[R_co], QueryMeta]: ...
    @overload
    def execute(
        self: Transaction[AsyncDriver, R_co], **options: Unpack[WriteOptions]
    ) -> Coroutine[Any, Any, tuple[list[R_co], QueryMeta]]: ...
    def execute(self, **options: Unpack[WriteOptions]) -> Any:
        """Send the transaction.

        Args:
            **options: ``dc``, the datacenter; ``token``, an ACL token for this call only.

        Returns:
            The results (the entries, nodes, service instances and checks that its operations
            read or wrote, in their order) and the metadata (awaitable on the async clients).

        Raises:
            TransactionError: Consul rolled it back; ``.errors`` says why, per operation.
            UsageError: The transaction is empty.
        """
        return self.driver.execute(self.call(**options))


class _CatalogVerbs(Generic[D, R_co, V]):
    """The verbs of a transaction on one kind of catalog object, whose operations yield `V`."""

    def __init__(self, transaction: Transaction[D, R_co]) -> None:
        self._transaction: Transaction[D, R_co] = transaction

    def _add(self, operation: txn.CatalogTxnOp) -> Transaction[D, R_co | V]:
        return self._transaction.add(operation)


class NodeVerbs(_CatalogVerbs[D, R_co, Node]):
    """The verbs of a transaction on catalog nodes: each adds an operation (see
    `consul_core.endpoints.txn.node_op`) and returns the transaction.
    """

    def get(self, node: NodeLike) -> Transaction[D, R_co | Node]:
        """Add: read a node by name (the transaction fails if it is missing)."""
        return self._add(txn.node_op("get", node))

    def set(self, node: Node | Mapping[str, Any]) -> Transaction[D, R_co | Node]:
        """Add: create or replace a node (``{"Node": ..., "Address": ...}`` or a `Node`)."""
        return self._add(txn.node_op("set", node))

    def cas(
        self, node: Node | Mapping[str, Any], *, index: _params.IndexLike | None = None
    ) -> Transaction[D, R_co | Node]:
        """Add: write a node if its modify index is still `index` (default the node's own;
        0: only if it does not exist).
        """
        return self._add(txn.node_op("cas", node, index=index))

    def delete(self, node: NodeLike) -> Transaction[D, R_co | Node]:
        """Add: delete a node, with its services and checks."""
        return self._add(txn.node_op("delete", node))

    def delete_cas(
        self, node: NodeLike, *, index: _params.IndexLike | None = None
    ) -> Transaction[D, R_co | Node]:
        """Add: delete a node if its modify index is still `index` (default the node's own)."""
        return self._add(txn.node_op("delete-cas", node, index=index))


ServiceLike = str | NodeService | AgentService | Mapping[str, Any]
CheckLike = str | HealthCheck | Mapping[str, Any]
W = TypeVar("W")  # what ``set`` and ``cas`` write
K = TypeVar("K")  # what ``get`` and the deletes name


class _NodePartVerbs(_CatalogVerbs[D, R_co, V], Generic[D, R_co, V, W, K]):
    """The verbs of a transaction on a part of a catalog node (a service instance or a check),
    whose operations `_op` builds: the same five for each part.
    """

    _op: ClassVar[Callable[..., txn.CatalogTxnOp]]

    def get(self, node: NodeLike, item: K) -> Transaction[D, R_co | V]:
        """Add: read one of `node`'s by ID (the transaction fails if it is missing)."""
        return self._add(self._op("get", node, item))

    def set(self, node: NodeLike, item: W) -> Transaction[D, R_co | V]:
        """Add: create or replace one of `node`'s."""
        return self._add(self._op("set", node, item))

    def cas(
        self, node: NodeLike, item: W, *, index: _params.IndexLike | None = None
    ) -> Transaction[D, R_co | V]:
        """Add: write one of `node`'s if its modify index is still `index` (default its own;
        0: only if it does not exist).
        """
        return self._add(self._op("cas", node, item, index=index))

    def delete(self, node: NodeLike, item: K) -> Transaction[D, R_co | V]:
        """Add: delete one of `node`'s."""
        return self._add(self._op("delete", node, item))

    def delete_cas(
        self, node: NodeLike, item: K, *, index: _params.IndexLike | None = None
    ) -> Transaction[D, R_co | V]:
        """Add: delete one of `node`'s if its modify index is still `index` (default its own)."""
        return self._add(self._op("delete-cas", node, item, index=index))


class ServiceVerbs(
    _NodePartVerbs[
        D, R_co, NodeService, NodeService | AgentService | Mapping[str, Any], ServiceLike
    ]
):
    """The verbs of a transaction on service instances of catalog nodes: each adds an
    operation (see `consul_core.endpoints.txn.service_op`) and returns the transaction.

    An instance is named by its ID (or a `NodeService`, or a mapping with ``ID``), and written
    as ``{"ID": ..., "Service": <name>, "Port": ...}`` or a `NodeService`; deleting it deletes
    its checks too.
    """

    _op = staticmethod(txn.service_op)


class CheckVerbs(_NodePartVerbs[D, R_co, HealthCheck, HealthCheck | Mapping[str, Any], CheckLike]):
    """The verbs of a transaction on checks of catalog nodes: each adds an operation (see
    `consul_core.endpoints.txn.check_op`) and returns the transaction.

    A check is named by its ``CheckID`` (or a `HealthCheck`, or a mapping with ``CheckID``), and
    written as ``{"CheckID": ..., "Name": ..., "Status": "passing"}`` or a `HealthCheck`.
    """

    _op = staticmethod(txn.check_op)


class Txn(Namespace[D]):
    """Transactions: ``/v1/txn``, with KV and catalog operations."""

    def prepare(self) -> Transaction[D, Never]:
        """Start a transaction: chain its verbs, then ``execute()`` it.

        Returns:
            An empty transaction bound to this client (``client.kv.prepare()`` makes the
            same).
        """
        return Transaction(self.driver)
