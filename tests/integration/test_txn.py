"""Transactions with catalog operations (nodes, service instances, checks) on the real agent,
under asyncio, trio and sync.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from consul_core import KeyValue, NotFound, TransactionError
from consul_core.models import HealthCheck, Node, NodeService


async def test_catalog_operations_write_and_read_in_one_transaction(
    client: Any, unique: str
) -> None:
    node = {"Node": unique, "Address": "10.1.2.3", "Meta": {"rack": "r1"}}
    service = {"ID": f"{unique}-web", "Service": "web", "Port": 8080, "Tags": ["v1"]}
    check = {"CheckID": f"{unique}-chk", "Name": "web alive", "Status": "passing"}
    written, meta = await (
        client.txn.prepare()
        .node.set(node)
        .service.set(unique, service)
        .check.set(unique, {**check, "ServiceID": service["ID"]})
        .set(f"{unique}/k", b"v")
        .execute()
    )
    assert meta.index == 0
    assert [type(result) for result in written] == [Node, NodeService, HealthCheck, KeyValue]
    assert written[0].meta == {"rack": "r1"} and written[0].modify_index > 0
    assert written[1].port == 8080 and written[1].tags == ["v1"]
    assert (written[2].service_name, written[2].status) == ("web", "passing")
    read, _ = await (
        client.kv.prepare()
        .node.get(unique)
        .service.get(unique, service["ID"])
        .check.get(unique, check["CheckID"])
        .get(f"{unique}/k")
        .execute()
    )
    assert read[:3] == written[:3]
    assert (read[3].key, read[3].value) == (f"{unique}/k", b"v")
    instances, _ = await client.catalog.service("web")
    assert [(i.node, i.service_id) for i in instances if i.node == unique] == [
        (unique, service["ID"])
    ]
    gone, _ = await client.txn.prepare().node.delete(unique).delete(f"{unique}/k").execute()
    assert gone == []
    with pytest.raises(NotFound):
        await client.catalog.node(unique)


async def test_cas_on_a_stale_index_rolls_everything_back(client: Any, unique: str) -> None:
    results, _ = await (
        client.txn.prepare()
        .node.set({"Node": unique, "Address": "10.0.0.1"})
        .service.set(unique, {"ID": "db", "Service": "db", "Port": 5432})
        .execute()
    )
    node, service = results
    moved = msgspec.structs.replace(node, address="10.0.0.2")
    updated, _ = await client.txn.prepare().node.cas(moved).execute()
    assert updated[0].address == "10.0.0.2"
    assert updated[0].modify_index > node.modify_index
    # The node read first is stale now: the whole transaction is rolled back.
    stale = (
        client.txn.prepare()
        .service.cas(unique, msgspec.structs.replace(service, port=6543))
        .set(f"{unique}/never", b"x")
        .node.cas(msgspec.structs.replace(node, address="10.0.0.9"))
    )
    with pytest.raises(TransactionError) as caught:
        await stale.execute()
    assert [error.op_index for error in caught.value.errors] == [2]
    assert "index is stale" in caught.value.errors[0].what
    current, _ = await client.txn.prepare().node.get(unique).service.get(unique, "db").execute()
    assert (current[0].address, current[1].port) == ("10.0.0.2", 5432)
    with pytest.raises(NotFound):
        await client.kv.get(f"{unique}/never")
    await client.txn.prepare().node.delete(unique).execute()


async def test_delete_cas_and_create_only_cas(client: Any, unique: str) -> None:
    check = {"CheckID": "disk", "Name": "disk", "Status": "warning"}
    created, _ = await (
        client.txn.prepare()
        .node.cas({"Node": unique, "Address": "10.0.0.5"}, index=0)
        .check.cas(unique, check, index=0)
        .execute()
    )
    node, written = created
    with pytest.raises(TransactionError) as caught:
        await client.txn.prepare().node.cas({"Node": unique, "Address": "x"}, index=0).execute()
    assert "index is stale" in caught.value.errors[0].what
    with pytest.raises(TransactionError):
        await client.txn.prepare().check.delete_cas(unique, "disk", index=1).execute()
    removed, _ = await client.txn.prepare().check.delete_cas(unique, written).execute()
    assert removed == []
    checks, _ = await client.health.node(unique)
    assert [c.check_id for c in checks] == []
    await client.txn.prepare().node.delete_cas(node).execute()
    with pytest.raises(NotFound):
        await client.catalog.node(unique)


async def test_missing_objects_are_per_operation_errors(client: Any, unique: str) -> None:
    txn = (
        client.txn.prepare()
        .check_not_exists(f"{unique}/k")
        .node.get(unique)
        .service.get(unique, "nope")
    )
    with pytest.raises(TransactionError) as caught:
        await txn.execute()
    assert caught.value.status == 409
    assert caught.value.errors[0].op_index == 1
    assert "doesn't exist" in caught.value.errors[0].what
