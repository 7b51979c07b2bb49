"""The ``kv`` namespace and its transactions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from consul_core.binding import D, Namespace, endpoint, watcher
from consul_core.endpoints import kv
from consul_core.namespaces.txn import Transaction

if TYPE_CHECKING:
    from typing_extensions import Never

__all__ = ["KV", "Transaction"]


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

    def prepare(self) -> Transaction[D, Never]:
        """Start a transaction: chain its verbs, then ``execute()`` it (its catalog verbs too:
        ``txn.node``, ``txn.service``, ``txn.check``; ``client.txn.prepare()`` is the same).

        Returns:
            An empty transaction bound to this client.
        """
        return Transaction(self.driver)
