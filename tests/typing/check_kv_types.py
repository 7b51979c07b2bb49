"""Static checks (mypy --strict and pyright): one endpoint definition, exact types per client."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from typing_extensions import assert_type

from consul_core import KeyValue, QueryMeta, Session
from consul_core.call import Call
from consul_core.endpoints import kv
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    assert_type(client.kv.get("k"), tuple[KeyValue, QueryMeta])
    assert_type(client.kv.raw("k"), tuple[bytes, QueryMeta])
    assert_type(client.kv.keys("p/"), tuple[list[str], QueryMeta])
    assert_type(client.kv.set("k", b"v"), bool)
    assert_type(
        client.kv.prepare().set("k", b"v").get("k").execute(), tuple[list[KeyValue], QueryMeta]
    )
    assert_type(client.session.create(ttl="15s"), str)
    assert_type(client.session.info("id"), tuple[Session, QueryMeta])
    assert_type(client.status.leader(), str)
    assert_type(client.status.peers(), list[str])
    # A session is named by its ID, a mapping with "ID", or a Session; nothing else.
    session, _ = client.session.info("id")
    assert_type(client.kv.lock("k", b"v", session=session), bool)
    assert_type(client.kv.unlock("k", b"v", session={"ID": "id"}), bool)
    assert_type(client.session.destroy(session), bool)
    client.kv.lock("k", b"v", session=42)  # type: ignore[arg-type]
    client.session.renew(None)  # type: ignore[arg-type]


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    assert_type(a.kv.get("k"), Coroutine[Any, Any, tuple[KeyValue, QueryMeta]]).close()
    assert_type(await a.kv.get("k"), tuple[KeyValue, QueryMeta])
    assert_type(await t.kv.get_tree("p/"), tuple[list[KeyValue], QueryMeta])
    assert_type(await t.kv.cas("k", b"v", index=3), bool)
    assert_type(
        await a.kv.prepare().check_not_exists("k").set("k", b"v").execute(),
        tuple[list[KeyValue], QueryMeta],
    )
    assert_type(await t.session.items(), tuple[list[Session], QueryMeta])


def sans_io() -> None:
    assert_type(kv.get("k", consistency="stale"), Call[tuple[KeyValue, QueryMeta]])
