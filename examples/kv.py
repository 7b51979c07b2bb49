"""The KV store: set, get, keys, trees, CAS, locks and transactions (aioconsul's examples)."""

from __future__ import annotations

from typing import Any

from _runner import main, step


async def run_async(client: Any) -> None:
    step("set", await client.kv.set("my/key", b"my value"))
    obj, meta = await client.kv.get("my/key")
    step("get", (obj.value, meta.index))
    keys, meta = await client.kv.keys("my/", separator="/")
    step("keys", keys)
    collection, meta = await client.kv.get_tree("my/")
    step("get_tree", [entry.key for entry in collection])
    step("cas with the current index", await client.kv.cas("my/key", b"new", index=obj))
    step("cas with a stale index", await client.kv.cas("my/key", b"lost", index=obj))
    session_id = await client.session.create(name="example", ttl="30s")
    step("lock", await client.kv.lock("my/lock", b"owner", session=session_id))
    step("unlock", await client.kv.unlock("my/lock", b"", session=session_id))
    await client.session.destroy(session_id)
    results, meta = await client.kv.prepare().set("my/txn", b"1").get("my/txn").execute()
    step("transaction", [(entry.key, entry.value) for entry in results])
    step("delete_tree", await client.kv.delete_tree("my/"))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("set", client.kv.set("my/key", b"my value"))
    obj, meta = client.kv.get("my/key")
    step("get", (obj.value, meta.index))
    keys, meta = client.kv.keys("my/", separator="/")
    step("keys", keys)
    collection, meta = client.kv.get_tree("my/")
    step("get_tree", [entry.key for entry in collection])
    step("cas with the current index", client.kv.cas("my/key", b"new", index=obj))
    step("cas with a stale index", client.kv.cas("my/key", b"lost", index=obj))
    session_id = client.session.create(name="example", ttl="30s")
    step("lock", client.kv.lock("my/lock", b"owner", session=session_id))
    step("unlock", client.kv.unlock("my/lock", b"", session=session_id))
    client.session.destroy(session_id)
    results, meta = client.kv.prepare().set("my/txn", b"1").get("my/txn").execute()
    step("transaction", [(entry.key, entry.value) for entry in results])
    step("delete_tree", client.kv.delete_tree("my/"))


if __name__ == "__main__":
    main(run_async, run_sync)
