"""Snapshots on the real agent, under asyncio, trio and sync. Restores run on a private agent,
so that rolling its state back cannot disturb other tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from consul_core import NotFound, PermissionDenied, ServerError
from consul_transports.testing import ConsulAgent

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture(scope="module")
def restore_agent() -> Iterator[ConsulAgent]:
    """A private agent whose state the tests roll back."""
    with ConsulAgent(acl=True) as agent:
        yield agent


async def test_save(client: Any, unique: str) -> None:
    await client.kv.set(unique, b"saved")
    try:
        data, meta = await client.snapshot.save()
        assert data[:2] == b"\x1f\x8b" and len(data) > 100
        assert meta.index > 0 and meta.known_leader
        stale, _ = await client.snapshot.save(stale=True)
        assert stale[:2] == b"\x1f\x8b"
    finally:
        await client.kv.delete(unique)


async def test_restore_rolls_the_state_back(
    new_client: Any, restore_agent: ConsulAgent, unique: str
) -> None:
    address, token = restore_agent.address, restore_agent.master_token
    async with new_client(address=address, token=token) as client:
        await client.kv.set(f"{unique}/before", b"1")
        data, _ = await client.snapshot.save()
        await client.kv.set(f"{unique}/after", b"2")
        assert await client.snapshot.restore(data) is True
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/after")
        kept, _ = await client.kv.get(f"{unique}/before")
        assert kept.value == b"1"
        with pytest.raises(ServerError, match="snapshot"):
            await client.snapshot.restore(data[: len(data) // 2])


async def test_an_unknown_token_is_denied(new_client: Any) -> None:
    async with new_client(token=BOGUS_TOKEN) as client:
        with pytest.raises(PermissionDenied):
            await client.snapshot.save()
