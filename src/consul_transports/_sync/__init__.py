"""The sync driver and client: `client`, `driver`, `watch` and `stream` generated from their
async twins in `_async/` by scripts/unasync.py; `supervise` (threads) and `files` hand-written.
"""
