# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Static checks (mypy --strict and pyright): the shared options travel as typed bundles
(``**options: Unpack[...]``), through the namespaces too, so that each option keeps its name
and type on every client.

The lines marked ``# type: ignore[...]`` must be errors: mypy (``warn_unused_ignores``, part
of ``--strict``) and pyright (``reportUnnecessaryTypeIgnoreComment``, set above) both fail
on an ignore comment that suppresses nothing, so a bundle that let a wrong type or an unknown
option through would fail the type check.
"""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from datetime import timedelta
from typing import Any

from typing_extensions import Unpack, assert_type

from consul_core import KeyValue, QueryMeta
from consul_core.call import Call
from consul_core.endpoints import acl_policies, catalog, health, kv, query
from consul_core.models.acl import ACLPolicy, ACLToken
from consul_core.models.catalog import CatalogService, Node
from consul_core.models.connect import CARoots
from consul_core.models.health import ServiceEntry
from consul_core.models.query import QueryResult
from consul_core.options import Duration, IndexLike, ReadOptions
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul

META: Mapping[str, str] = {"rack": "r1"}


def every_option_keeps_its_type(client: SyncConsul, meta: QueryMeta) -> None:
    assert_type(client.kv.get("k", dc="dc2"), tuple[KeyValue, QueryMeta])
    assert_type(
        client.kv.get("k", dc=None, watch=(meta, timedelta(seconds=5)), consistency="stale"),
        tuple[KeyValue, QueryMeta],
    )
    assert_type(client.kv.set("k", b"v", 3, dc="dc2", token="t"), bool)
    assert_type(
        client.health.service(
            "web", True, ["a"], near="_agent", node_meta=META, filter="x", cached=True
        ),
        tuple[list[ServiceEntry], QueryMeta],
    )
    assert_type(client.catalog.nodes(near="_self", watch=3), tuple[list[Node], QueryMeta])
    assert_type(client.connect.agent_ca_roots(watch=meta), tuple[CARoots, QueryMeta])
    assert_type(
        client.acl.policies.create(name="p", rules="", datacenters=["dc1"], dc="dc1"), ACLPolicy
    )
    assert_type(client.acl.tokens.update({"AccessorID": "a"}, local=True), ACLToken)
    assert_type(
        client.kv.prepare().get("k").execute(dc="dc2", token="t"), tuple[list[KeyValue], QueryMeta]
    )


async def async_clients_take_the_same_options(a: AsyncioConsul, t: TrioConsul) -> None:
    assert_type(a.kv.get("k", dc="dc2"), Coroutine[Any, Any, tuple[KeyValue, QueryMeta]]).close()
    assert_type(
        await t.catalog.service("web", "v1", cached=True, consistency="default"),
        tuple[list[CatalogService], QueryMeta],
    )
    assert_type(await a.acl.policies.items(watch=7, token="t"), tuple[list[ACLPolicy], QueryMeta])


def namespaces_partitions_peers_and_cache_control(client: SyncConsul, a: AsyncioConsul) -> None:
    assert_type(client.kv.get("k", ns="team", partition="p1"), tuple[KeyValue, QueryMeta])
    assert_type(client.kv.set("k", b"v", ns="team"), bool)
    assert_type(client.catalog.nodes(partition="p1"), tuple[list[Node], QueryMeta])
    assert_type(
        client.health.service(
            "web", peer="east", merge_central_config=True, cached=True, max_age=timedelta(0)
        ),
        tuple[list[ServiceEntry], QueryMeta],
    )
    assert_type(
        query.execute("q", cached=True, max_age="1m", stale_if_error=3600),
        Call[tuple[QueryResult, QueryMeta]],
    )
    entries = client.health.ingress("web", sameness_group="g1", ns="team")
    assert_type(entries, tuple[list[ServiceEntry], QueryMeta])
    a.kv.get("k", ns="team").close()
    SyncConsul(namespace="team", partition="p1", auth=("u", "p"), headers={"X-Route": "a"})
    AsyncioConsul(auth="u:p")


def options_a_current_agent_expects_are_checked_too(client: SyncConsul) -> None:
    client.kv.get("k", ns=1)  # type: ignore[arg-type]
    client.health.service("web", merge_central_config="yes")  # type: ignore[arg-type]
    client.health.service("web", cached=True, max_age=[1])  # type: ignore[arg-type]
    client.query.items(ns="team")  # type: ignore[call-arg]
    client.catalog.nodes(ns="team")  # type: ignore[call-arg]
    client.health.ingress("web", peer="east")  # type: ignore[call-arg]
    client.catalog.service("web", sameness_group="g1")  # type: ignore[call-arg]
    client.health.service("web", sameness_group=["g1"])  # type: ignore[arg-type]
    client.kv.get("k", peer="east")  # type: ignore[call-arg]
    client.health.checks("web", max_age=5)  # type: ignore[call-arg]
    SyncConsul(auth=("u",))  # type: ignore[arg-type]
    SyncConsul(namespace=1)  # type: ignore[arg-type]


def sans_io_builders_take_the_same_options() -> None:
    assert_type(kv.keys("p/", "/", consistency="consistent"), Call[tuple[list[str], QueryMeta]])
    assert_type(acl_policies.update({"ID": "i"}, description="d"), Call[ACLPolicy])
    assert_type(
        query.execute("q", near="_ip", cached=True, dc="dc1"), Call[tuple[QueryResult, QueryMeta]]
    )


def a_wrong_type_is_an_error(client: SyncConsul, a: AsyncioConsul) -> None:
    client.kv.get("k", dc=2)  # type: ignore[arg-type]
    client.kv.get("k", consistency="strong")  # type: ignore[arg-type]
    client.kv.get("k", watch="30s")  # type: ignore[arg-type]
    client.health.service("web", cached="yes")  # type: ignore[arg-type]
    client.catalog.nodes(node_meta=["rack"])  # type: ignore[arg-type]
    client.acl.policies.create(datacenters=[1])  # type: ignore[list-item]
    a.kv.set("k", b"v", token=b"t").close()  # type: ignore[arg-type]
    kv.delete("k", dc=0)  # type: ignore[arg-type]
    client.kv.prepare().get("k").execute(dc=2)  # type: ignore[arg-type]


def an_unknown_option_is_an_error(client: SyncConsul, t: TrioConsul) -> None:
    client.kv.get("k", dcc="dc2")  # type: ignore[call-arg]
    client.kv.get("k", filter="x")  # type: ignore[call-arg]
    client.kv.set("k", b"v", watch=1)  # type: ignore[call-arg]
    client.catalog.nodes(cached=True)  # type: ignore[call-arg]
    client.acl.policies.update({"ID": "i"}, consistency="stale")  # type: ignore[call-arg]
    t.health.node("n", near="_agent").close()  # type: ignore[call-arg]
    catalog.datacenters(dc="dc2")  # type: ignore[call-arg]
    health.checks("web", cached=True)  # type: ignore[call-arg]
    t.kv.prepare().get("k").execute(consistency="stale").close()  # type: ignore[call-arg]


async def a_wrapper_forwards_the_options_by_their_public_names(
    client: AsyncioConsul, key: str, **options: Unpack[ReadOptions]
) -> bytes:
    # A library's wrapper types its options with the public bundles (consul_core.options).
    entry, meta = await client.kv.get(key, **options)
    assert_type(meta, QueryMeta)
    return entry.value or b""


async def uses_the_wrapper(client: AsyncioConsul, wait: Duration, since: IndexLike) -> None:
    await a_wrapper_forwards_the_options_by_their_public_names(
        client, "k", consistency="stale", watch=(since, wait), dc="dc1"
    )
    await a_wrapper_forwards_the_options_by_their_public_names(
        client,
        "k",
        consistency="sometimes",  # type: ignore[arg-type]
    )
