"""Static checks (mypy --strict and pyright): a client entered with ``with`` / ``async with``
is the entry point's own class, as users name it in their annotations (it was the private base
class, which a function taking the public `Consul` refused).
"""

from __future__ import annotations

from typing_extensions import assert_type

from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def uses_sync(client: SyncConsul) -> None:
    del client


async def uses_asyncio(client: AsyncioConsul) -> None:
    del client


async def uses_trio(client: TrioConsul) -> None:
    del client


async def entered() -> None:
    with SyncConsul() as sync_client:
        assert_type(sync_client, SyncConsul)
        uses_sync(sync_client)
    async with AsyncioConsul() as asyncio_client:
        assert_type(asyncio_client, AsyncioConsul)
        await uses_asyncio(asyncio_client)
    async with TrioConsul() as trio_client:
        assert_type(trio_client, TrioConsul)
        await uses_trio(trio_client)
