"""Static checks (mypy --strict and pyright) for streams: the agent's log and metrics, and
snapshots written to and read from files.
"""

from __future__ import annotations

import io
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import anyio
from typing_extensions import assert_type

from consul_core.binding import AsyncWatchIterator, WatchIterator
from consul_core.meta import QueryMeta
from consul_core.models.agent import LogRecord, MetricsInfo
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul, path: Path) -> None:
    assert_type(client.agent.monitor("debug"), WatchIterator[str])
    assert_type(client.agent.monitor_json(), WatchIterator[LogRecord])
    assert_type(client.agent.metrics_stream(), WatchIterator[MetricsInfo])
    with client.agent.monitor() as lines:
        for line in lines:
            assert_type(line, str)
    assert_type(client.snapshot.save_to(path), QueryMeta)
    assert_type(client.snapshot.save_to(io.BytesIO()), QueryMeta)
    assert_type(client.snapshot.restore(path), bool)
    with path.open("rb") as file:
        assert_type(client.snapshot.restore(file), bool)
    assert_type(client.snapshot.restore(b"\x1f\x8b"), bool)


async def async_client(client: AsyncioConsul | TrioConsul, path: Path) -> None:
    assert_type(client.agent.monitor(), AsyncWatchIterator[str])
    assert_type(client.agent.monitor_json("info"), AsyncWatchIterator[LogRecord])
    assert_type(client.agent.metrics_stream(), AsyncWatchIterator[MetricsInfo])
    async with client.agent.monitor_json() as records:
        async for record in records:
            assert_type(record, LogRecord)
    assert_type(client.snapshot.save_to(path), Coroutine[Any, Any, QueryMeta]).close()
    async with await anyio.open_file(path, "rb") as file:
        assert_type(await client.snapshot.restore(file), bool)
    assert_type(await client.snapshot.save_to(str(path)), QueryMeta)
