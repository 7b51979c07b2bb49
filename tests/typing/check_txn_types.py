"""Static checks (mypy --strict and pyright): a transaction's results are typed by the verbs it
holds, on every client and in the sans-IO builder.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from typing_extensions import assert_type

from consul_core import KeyValue, QueryMeta
from consul_core.call import Call
from consul_core.endpoints import txn
from consul_core.models import HealthCheck, Node, NodeService, TxnResult
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    assert_type(
        client.txn.prepare().set("k", b"v").get("k").execute(), tuple[list[KeyValue], QueryMeta]
    )
    assert_type(client.txn.prepare().node.get("n1").execute(), tuple[list[Node], QueryMeta])
    mixed = client.kv.prepare().get("k").node.get("n1").service.get("n1", "web1").execute()
    assert_type(mixed, tuple[list[KeyValue | Node | NodeService], QueryMeta])
    checks = client.txn.prepare().check.set("n1", {"CheckID": "c", "Name": "c"}).execute()
    assert_type(checks, tuple[list[HealthCheck], QueryMeta])
    built = client.txn.prepare().add(txn.node_op("get", "n1"))
    assert_type(built.execute(), tuple[list[Any], QueryMeta])


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    pending = a.txn.prepare().node.delete("n1").check_not_exists("k").execute()
    assert_type(pending, Coroutine[Any, Any, tuple[list[Node | KeyValue], QueryMeta]]).close()
    assert_type(
        await t.kv.prepare().service.set("n1", {"ID": "w", "Service": "web"}).execute(),
        tuple[list[NodeService], QueryMeta],
    )


def sans_io() -> None:
    assert_type(txn.execute([txn.op("get", "k")]), Call[tuple[list[KeyValue], QueryMeta]])
    mixed: list[txn.AnyTxnOp] = [txn.op("get", "k"), txn.node_op("get", "n1")]
    assert_type(txn.execute(mixed), Call[tuple[list[TxnResult], QueryMeta]])
