"""KV store and transactions on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest

from consul_core import KeyValue, NotFound, PermissionDenied, TransactionError, UsageError

ODD_KEYS = ["with space", "question?mark", "hash#tag", "per%cent", "plus+sign", "unicodé/ключ/鍵"]


@pytest.mark.parametrize("suffix", ODD_KEYS)
async def test_odd_keys_and_binary_values_round_trip(client: Any, unique: str, suffix: str) -> None:
    key = f"{unique}/{suffix}"
    value = bytes(range(256))
    assert await client.kv.set(key, value) is True
    entry, meta = await client.kv.get(key)
    assert entry.key == key
    assert entry.value == value
    assert meta.index >= entry.modify_index > 0
    raw, _ = await client.kv.raw(key)
    assert raw == value
    keys, _ = await client.kv.keys(unique + "/")
    assert keys == [key]


async def test_flags_keys_tree_and_delete(client: Any, unique: str) -> None:
    await client.kv.set(f"{unique}/a", b"1", flags=42)
    await client.kv.set(f"{unique}/b/c", b"2")
    entry, _ = await client.kv.get(f"{unique}/a")
    assert entry.flags == 42
    keys, _ = await client.kv.keys(f"{unique}/", separator="/")
    assert keys == [f"{unique}/a", f"{unique}/b/"]
    tree, _ = await client.kv.get_tree(f"{unique}/")
    assert [(e.key, e.value) for e in tree] == [(f"{unique}/a", b"1"), (f"{unique}/b/c", b"2")]
    assert await client.kv.delete(f"{unique}/a") is True
    with pytest.raises(NotFound):
        await client.kv.get(f"{unique}/a")
    assert await client.kv.delete_tree(f"{unique}/") is True
    tree, _ = await client.kv.get_tree(f"{unique}/")
    assert tree == []


async def test_a_tree_read_with_a_separator_reads_one_level(client: Any, unique: str) -> None:
    # Consul sends every entry under the prefix (it applies a separator to key listings only):
    # the client leaves out the deeper ones, so that the entries are those `keys` lists.
    for key in ("a", "sub/b", "sub/deep/c", "empty/", "b%/x", "b%/"):
        await client.kv.set(f"{unique}/{key}", b"1")
    tree, meta = await client.kv.get_tree(f"{unique}/", separator="/")
    assert [e.key for e in tree] == [f"{unique}/{key}" for key in ("a", "b%/", "empty/")]
    keys, _ = await client.kv.keys(f"{unique}/", separator="/")
    assert keys == [f"{unique}/{key}" for key in ("a", "b%/", "empty/", "sub/")]
    assert meta.index > 0
    deeper, _ = await client.kv.get_tree(f"{unique}/sub/", separator="/")
    assert [e.key for e in deeper] == [f"{unique}/sub/b"]
    everything, _ = await client.kv.get_tree(f"{unique}/", separator="")
    assert len(everything) == 6
    await client.kv.delete_tree(f"{unique}/")


async def test_empty_listing_is_empty_not_an_error(client: Any, unique: str) -> None:
    keys, meta = await client.kv.keys(f"{unique}/nothing/")
    tree, _ = await client.kv.get_tree(f"{unique}/nothing/")
    assert keys == [] and tree == []
    assert meta.index > 0


async def test_cas_with_stale_index_returns_false(client: Any, unique: str) -> None:
    key = f"{unique}/cas"
    assert await client.kv.cas(key, b"first", index=0) is True
    assert await client.kv.cas(key, b"again", index=0) is False
    entry, meta = await client.kv.get(key)
    assert await client.kv.cas(key, b"second", index=entry) is True
    assert await client.kv.cas(key, b"stale", index=entry) is False
    assert await client.kv.delete_cas(key, index=entry.modify_index) is False
    current, _ = await client.kv.get(key)
    assert current.value == b"second"
    assert await client.kv.delete_cas(key, index=current) is True
    with pytest.raises(NotFound):
        await client.kv.get(key)
    del meta


async def test_lock_and_unlock_with_sessions(client: Any, unique: str) -> None:
    key = f"{unique}/lock"
    first = await client.session.create(name="first", ttl="30s")
    second = await client.session.create(name="second", ttl="30s", lock_delay=0)
    try:
        assert await client.kv.lock(key, b"held", session=first) is True
        assert await client.kv.lock(key, b"mine", session=second) is False
        entry, _ = await client.kv.get(key)
        assert entry.session == first and entry.lock_index == 1
        assert await client.kv.unlock(key, b"free", session=second) is False
        assert await client.kv.unlock(key, b"free", session={"ID": first}) is True
        entry, _ = await client.kv.get(key)
        assert entry.session is None and entry.value == b"free"
        assert await client.kv.lock(key, b"mine", session=second) is True
    finally:
        await client.session.destroy(first)
        await client.session.destroy(second)
    # A session that is gone: Consul's 500 "invalid session" is the NotFound it means.
    with pytest.raises(NotFound, match="invalid session"):
        await client.kv.lock(key, b"again", session=first)
    assert await client.kv.unlock(key, b"again", session=first) is False


async def test_transaction_success(client: Any, unique: str) -> None:
    results, meta = await (
        client.kv.prepare()
        .set(f"{unique}/x", b"1")
        .set(f"{unique}/y", b"2")
        .get(f"{unique}/x")
        .get_tree(f"{unique}/")
        .execute()
    )
    assert meta.index == 0
    assert all(isinstance(r, KeyValue) for r in results)
    assert [(r.key, r.value) for r in results[2:]] == [
        (f"{unique}/x", b"1"),
        (f"{unique}/x", b"1"),
        (f"{unique}/y", b"2"),
    ]


async def test_failed_transaction_raises_and_writes_nothing(client: Any, unique: str) -> None:
    await client.kv.set(f"{unique}/exists", b"v")
    txn = (
        client.kv.prepare()
        .set(f"{unique}/new", b"never")
        .check_not_exists(f"{unique}/exists")
        .delete(f"{unique}/exists")
    )
    with pytest.raises(TransactionError) as caught:
        await txn.execute()
    assert [e.op_index for e in caught.value.errors] == [1]
    assert "exists" in caught.value.errors[0].what
    with pytest.raises(NotFound):
        await client.kv.get(f"{unique}/new")
    entry, _ = await client.kv.get(f"{unique}/exists")
    assert entry.value == b"v"


async def test_transaction_cap_is_a_usage_error(client: Any, unique: str) -> None:
    txn = client.kv.prepare()
    for i in range(64):
        txn = txn.set(f"{unique}/{i}", b"")
    with pytest.raises(UsageError):
        txn.set(f"{unique}/65", b"")


async def test_missing_key_raises_not_found_with_index(client: Any, unique: str) -> None:
    await client.kv.set(f"{unique}/other", b"")
    with pytest.raises(NotFound) as caught:
        await client.kv.get(f"{unique}/missing")
    assert caught.value.meta.index > 0
    assert caught.value.status == 404
    assert "/v1/kv/" in str(caught.value)


async def test_blocking_get_wakes_within_a_second_of_a_write(client: Any, unique: str) -> None:
    key = f"{unique}/watched"
    await client.kv.set(key, b"before")
    _, meta = await client.kv.get(key)
    woke: list[float] = []

    async def watcher() -> None:
        entry, _ = await client.kv.get(key, watch=(meta, "30s"))
        woke.append(time.monotonic())
        assert entry.value == b"after"

    async with anyio.create_task_group() as tg:
        tg.start_soon(watcher)
        await anyio.sleep(0.5)
        written = time.monotonic()
        await client.kv.set(key, b"after")
    assert woke and woke[0] - written < 5.0  # woken by the write, not by its 30 s wait


async def test_blocking_get_returns_after_its_wait(client: Any, unique: str) -> None:
    key = f"{unique}/quiet"
    await client.kv.set(key, b"same")
    _, meta = await client.kv.get(key)
    started = time.monotonic()
    entry, after = await client.kv.get(key, watch=(meta, 1))
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1 + 1 / 16 + 1.5
    assert after.index == meta.index and entry.value == b"same"


async def test_bad_token_raises_permission_denied_without_the_token(new_client: Any) -> None:
    secret = "11111111-2222-3333-4444-555555555555"
    async with new_client(token=secret) as bad:
        with pytest.raises(PermissionDenied) as caught:
            await bad.kv.get("anything")
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert secret not in caught.value.text


async def test_per_call_token_overrides_the_client_token(
    new_client: Any, consul_agent: Any
) -> None:
    async with new_client(token="not-a-real-token") as c:
        assert await c.kv.set("per-call-token", b"ok", token=consul_agent.master_token) is True


async def test_bad_arguments_raise_usage_error_before_any_request(new_client: Any) -> None:
    # Port 9 on loopback has no agent: had any request been sent, this would be a TransportError.
    async with new_client(address="127.0.0.1:9") as c:
        for bad in (
            lambda: c.kv.get(""),
            lambda: c.kv.get("/leading-slash"),
            lambda: c.kv.get(42),
            lambda: c.kv.set("k", 3.5),
            lambda: c.kv.set("k", b"v", flags=-1),
            lambda: c.kv.get("k", consistency="eventual"),
            lambda: c.kv.get("k", watch=(1, "soon")),
            lambda: c.kv.cas("k", b"v", index="seven"),
            lambda: c.kv.lock("k", b"v", session=""),
            lambda: c.session.create(ttl="1s"),
            lambda: c.session.create(behavior="explode"),
        ):
            with pytest.raises(UsageError):
                await bad()
