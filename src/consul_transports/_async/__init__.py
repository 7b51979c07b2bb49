"""The async driver and client, on anyio: one code path for asyncio and trio.

Written once here: the sync twins of `client`, `driver`, `watch` and `stream` in `_sync/` are
generated from these by scripts/unasync.py (checked by ``nox -s lint``). `supervise` and `files`
differ in more than words, and are written on both sides.
"""
