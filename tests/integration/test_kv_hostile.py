"""Hostile KV input on the real agent, under asyncio, trio and sync: any key and value either
round-trip exactly or are refused with `UsageError` before any request (never another key
written); values over the agent's size limit raise `RequestTooLarge` and write nothing.
"""

from __future__ import annotations

import gc
from typing import Any

import anyio
import anyio.from_thread
import anyio.to_thread
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consul_core import BadRequest, NotFound, RequestTooLarge, UsageError
from consul_core.endpoints import txn
from tests.hostile import DETERMINISTIC, Fate, key_fate, text_with_dangers
from tests.integration import raw

# Consul's default kv_max_value_size and txn_max_req_len (the session's agent keeps them).
LIMIT = 512 * 1024


async def _keys_under(client: Any, prefix: str) -> list[str]:
    keys, _ = await client.kv.keys(prefix)
    return list(keys)


async def test_unaddressable_keys_are_refused_and_the_key_they_alias_is_untouched(
    client: Any, unique: str
) -> None:
    victim = f"{unique}/victim"
    await client.kv.set(victim, b"original")
    for alias in (f"{unique}/app/../victim", f"{unique}/./victim", f"{unique}//victim"):
        for attempt in (
            lambda key: client.kv.set(key, b"evil"),
            client.kv.delete,
            lambda key: client.kv.cas(key, b"evil", index=0),
            lambda key: client.kv.prepare().set(key, b"evil").execute(),
        ):
            with pytest.raises(UsageError, match="segment"):
                await attempt(alias)
    for key in (f"{unique}/tab\there", f"{unique}/line\u2028sep", f"{unique}/\ufeffbom"):
        with pytest.raises(UsageError, match="printable"):
            await client.kv.set(key, b"evil")
    entry, _ = await client.kv.get(victim)
    assert entry.value == b"original"
    assert await _keys_under(client, f"{unique}/") == [victim]


async def test_keys_only_a_transaction_can_address_are_read_and_deleted_by_one(
    client: Any, flavor: str, unique: str
) -> None:
    # Another client (Go's api.Txn checks no key) wrote them in a transaction; kv.keys lists
    # them, and only a transaction's body can name them again.
    stuck = [f"{unique}/tab\there", f"{unique}/app/../x", f"{unique}//double"]
    written = txn.execute([txn.TxnOp("set", key, b"v") for key in stuck])  # past txn.op's check
    assert (await raw.send(client, flavor, written)).status == 200
    assert await _keys_under(client, f"{unique}/") == sorted(stuck)
    reads = client.kv.prepare()
    for key in stuck:
        reads = reads.get(key)
    entries, _ = await reads.execute()
    assert [(entry.key, entry.value) for entry in entries] == [(key, b"v") for key in stuck]
    deletes = client.kv.prepare()
    for key in stuck:
        deletes = deletes.delete(key)
    await deletes.execute()
    assert await _keys_under(client, f"{unique}/") == []
    for key in stuck:  # nor can a transaction write one
        with pytest.raises(UsageError):
            client.kv.prepare().set(key, b"again")


async def test_a_code_point_no_unicode_version_assigns_is_the_agents_bad_request(
    client: Any, unique: str
) -> None:
    # Plane 5 is unassigned in every Unicode version so far: the agent refuses it itself.
    with pytest.raises(BadRequest, match="not count as printable"):
        await client.kv.set(f"{unique}/a\U00050000", b"v")
    assert await _keys_under(client, f"{unique}/") == []


async def test_folder_keys_and_dotted_names_round_trip(client: Any, unique: str) -> None:
    keys = [f"{unique}/folder/", f"{unique}/.hidden", f"{unique}/...", f"{unique}/a/..b"]
    for key in keys:
        assert await client.kv.set(key, key.encode()) is True
        entry, _ = await client.kv.get(key)
        assert (entry.key, entry.value) == (key, key.encode())
    assert await _keys_under(client, f"{unique}/") == sorted(keys)


# The agent answers 413 as soon as it has the headers and closes without reading a body that
# large; httpcore then abandons httpx's body generator, which trio reports when it is collected.
@pytest.mark.filterwarnings(
    "ignore:Async generator 'httpx._content.ByteStream.__aiter__' was garbage collected"
    ":ResourceWarning"
)
@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_value_over_the_limit_is_request_too_large_and_writes_nothing(
    new_client: Any, consul_agent: Any, unique: str, transport: str
) -> None:
    async with new_client(token=consul_agent.master_token, transport=transport) as c:
        assert await c.kv.set(f"{unique}/at-limit", b"x" * LIMIT) is True
        with pytest.raises(RequestTooLarge, match="kv_max_value_size") as caught:
            await c.kv.set(f"{unique}/over", b"x" * (LIMIT + 1))
        assert (caught.value.status, caught.value.path) == (413, f"/v1/kv/{unique}/over")
        with pytest.raises(NotFound):
            await c.kv.get(f"{unique}/over")
        # A transaction's values travel in base64: 400 KB is over its 512 KB body limit.
        with pytest.raises(RequestTooLarge, match="txn_max_req_len"):
            await c.kv.prepare().set(f"{unique}/in-txn", b"x" * 400_000).execute()
        assert await _keys_under(c, f"{unique}/") == [f"{unique}/at-limit"]
        # The same client goes on.
        await c.kv.delete_tree(f"{unique}/")
        assert await _keys_under(c, f"{unique}/") == []
    gc.collect()  # any abandoned generator is reported here, under this test's filter


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_long_keys_travel_up_to_the_agents_limit_on_native_and_httpxs_on_httpx(
    new_client: Any, unique: str, transport: str
) -> None:
    long_key = f"{unique}/" + "k" * 70_000  # over httpx's 65,536 characters of URL
    huge_key = f"{unique}/" + "k" * 1_100_000  # over the agent's 1 MiB of request head
    async with new_client(transport=transport) as c:
        if transport == "httpx":
            with pytest.raises(UsageError, match="the native transport can") as refused:
                await c.kv.set(long_key, b"v")
            assert len(str(refused.value)) < 500  # the path shown is cut
        else:
            assert await c.kv.set(long_key, b"v") is True
            entry, _ = await c.kv.get(long_key)
            assert (entry.key, entry.value) == (long_key, b"v")
            await c.kv.delete(long_key)
            with pytest.raises(RequestTooLarge) as caught:
                await c.kv.set(huge_key, b"v")
            assert caught.value.status == 431
            assert caught.value.path == f"/v1/kv/{huge_key}"  # whole; its message is cut
            assert str(caught.value).endswith("characters): 431 Request Header Fields Too Large")
            assert len(str(caught.value)) < 500
        assert await _keys_under(c, f"{unique}/") == []  # and the client goes on


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


VALUES = st.one_of(st.binary(max_size=64), text_with_dangers())


async def test_any_key_and_value_round_trip_exactly_or_are_refused(
    client: Any, unique: str
) -> None:
    """The property, with examples drawn by hypothesis in a worker thread that calls back into
    the test's event loop (hypothesis drives a sync function; the client is async-shaped).
    """
    prefix = f"{unique}/"
    fates: list[Fate] = []

    async def check(key: str, value: bytes | str) -> None:
        fate = key_fate(key)
        refused = fate is Fate.REFUSED or (isinstance(value, str) and not _encodable(value))
        try:
            written = await client.kv.set(key, value)
        except UsageError:
            assert refused, (key, value)
        except BadRequest as error:  # the agent's Unicode tables do not know a character
            assert fate is Fate.AGENTS_CALL and "printable" in error.text, key
        else:
            assert not refused and written is True, key
            expected = value.encode() if isinstance(value, str) else value
            entry, _ = await client.kv.get(key)
            assert (entry.key, entry.value or b"") == (key, expected)
            raw, _ = await client.kv.raw(key)
            assert raw == expected
            assert await _keys_under(client, prefix) == [key]
            await client.kv.delete(key)
        assert await _keys_under(client, prefix) == []  # never another key written
        fates.append(fate)

    @settings(DETERMINISTIC, max_examples=60)
    @given(suffix=text_with_dangers(danger_percent=20), value=VALUES)
    def run(suffix: str, value: bytes | str) -> None:
        anyio.from_thread.run(check, prefix + suffix, value)

    await anyio.to_thread.run_sync(run)
    assert {Fate.REFUSED, Fate.ADDRESSABLE, Fate.AGENTS_CALL} <= set(fates)
