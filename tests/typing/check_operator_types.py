"""Static checks (mypy --strict and pyright) for operator, query, config, connect and snapshot."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from typing_extensions import assert_type

from consul_core import QueryMeta
from consul_core.call import Call
from consul_core.endpoints import config, connect_intentions, operator, query, snapshot
from consul_core.models.config import AnyConfigEntry
from consul_core.models.connect import (
    Authorization,
    CAConfiguration,
    CARoots,
    Intention,
    LeafCert,
)
from consul_core.models.operator import (
    AutopilotConfiguration,
    AutopilotHealth,
    KeyringResponse,
    RaftConfiguration,
)
from consul_core.models.query import PreparedQuery, QueryExplanation, QueryResult
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    assert_type(client.operator.configuration(stale=True), RaftConfiguration)
    assert_type(client.operator.peer_delete("10.0.0.1:8300"), bool)
    assert_type(client.operator.autopilot_configuration(), AutopilotConfiguration)
    assert_type(client.operator.autopilot_health(), AutopilotHealth)
    assert_type(client.operator.keyring_list(), list[KeyringResponse])
    assert_type(client.query.create({"Service": {"Service": "web"}}), str)
    assert_type(client.query.execute("web", limit=1), tuple[QueryResult, QueryMeta])
    assert_type(client.config.get("service-defaults", "web"), tuple[AnyConfigEntry, QueryMeta])
    assert_type(client.config.set({"Kind": "proxy-defaults", "Name": "global"}), bool)
    assert_type(client.connect.ca_configuration(), CAConfiguration)
    assert_type(client.connect.intention_check("web", "db"), bool)
    assert_type(
        client.connect.intention_match("source", ["web"]),
        tuple[dict[str, list[Intention]], QueryMeta],
    )
    assert_type(client.snapshot.save(), tuple[bytes, QueryMeta])
    assert_type(client.snapshot.restore(b"\x1f\x8b"), bool)


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    assert_type(a.operator.autopilot_update({}, cas=3), Coroutine[Any, Any, bool]).close()
    assert_type(await a.operator.keyring_install("key"), bool)
    assert_type(await t.query.items(), tuple[list[PreparedQuery], QueryMeta])
    assert_type(await t.query.explain("web"), tuple[QueryExplanation, QueryMeta])
    assert_type(await a.config.items("service-defaults"), tuple[list[AnyConfigEntry], QueryMeta])
    assert_type(await t.connect.ca_roots(), tuple[CARoots, QueryMeta])
    assert_type(await a.connect.intention_create({"SourceName": "a"}), str)
    assert_type(await t.connect.agent_leaf("web"), tuple[LeafCert, QueryMeta])
    assert_type(await a.connect.authorize("db", "spiffe://x", "0b"), Authorization)
    assert_type(await t.snapshot.save(stale=True), tuple[bytes, QueryMeta])


def sans_io() -> None:
    assert_type(operator.configuration(), Call[RaftConfiguration])
    assert_type(query.read("id"), Call[tuple[PreparedQuery, QueryMeta]])
    assert_type(config.delete("service-defaults", "web"), Call[bool])
    assert_type(config.delete("service-defaults", "web", cas=3), Call[bool])
    assert_type(connect_intentions.intention_read("id"), Call[tuple[Intention, QueryMeta]])
    assert_type(snapshot.restore(b"\x1f\x8b"), Call[bool])
