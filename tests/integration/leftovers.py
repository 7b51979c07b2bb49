"""What the helpers might leave behind: tasks, threads and sessions.

The event loops' worker threads are pooled and outlive their calls, so they are not counted:
anyio's (which the sync flavor uses to drive the sync client from the async test) and trio's
(which resolve host names for new connections). Every other thread is.
"""

from __future__ import annotations

import threading
from typing import Any

import anyio

_WORKERS = ("AnyIO worker thread", "Trio thread ")


def running() -> tuple[int, frozenset[threading.Thread]]:
    """The number of tasks of the event loop, and the threads that are not anyio workers."""
    threads = frozenset(t for t in threading.enumerate() if not t.name.startswith(_WORKERS))
    return len(anyio.get_running_tasks()), threads


async def session_ids(client: Any) -> set[str]:
    """The IDs of every session of the agent."""
    sessions, _ = await client.session.items()
    return {s.id for s in sessions}
