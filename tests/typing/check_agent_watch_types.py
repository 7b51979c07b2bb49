"""Static checks (mypy --strict and pyright): the watches of the Connect CA roots, a leaf
certificate and a local agent service, typed per client.
"""

from __future__ import annotations

from typing_extensions import assert_type

from consul_core import QueryMeta
from consul_core.models import AgentService, CARoots, LeafCert
from consul_core.namespaces import AsyncWatchIterator, WatchIterator
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul, current: AgentService) -> None:
    assert_type(
        client.services.watch("web-1", watch=(current, "30s")),
        WatchIterator[tuple[AgentService | None, QueryMeta]],
    )
    assert_type(client.connect.watch_ca_roots(), WatchIterator[tuple[CARoots | None, QueryMeta]])
    assert_type(
        client.connect.watch_agent_leaf("web", watch=(0, "1m")),
        WatchIterator[tuple[LeafCert | None, QueryMeta]],
    )


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    watch = a.services.watch("web-1", token="t")
    assert_type(watch, AsyncWatchIterator[tuple[AgentService | None, QueryMeta]])
    async for service, _ in watch:
        assert_type(service, AgentService | None)
    assert_type(
        t.connect.watch_agent_ca_roots(), AsyncWatchIterator[tuple[CARoots | None, QueryMeta]]
    )
