"""The event loop a call runs in, for the async transports: an asyncio loop or a trio run, asked
of the two libraries directly (sniffio, which anyio asks, costs about a microsecond a call).

Rules:
- A transport's connections and counts serve one event loop at a time (`LoopOwner`). A call
  from another event loop (a second ``asyncio.run``, a test's own loop, trio after asyncio)
  finds the transport started afresh, as in a child process after a fork, once the last
  loop's calls can no longer run: that loop has ended, or it is stopped with no call in
  progress. While they can, the call is a `UsageError`: two running loops sharing a pool
  would each wait on the other's sockets and counts.
- `checkpoint` and `scheduler` give the running library's own checkpoint, and its way to run a
  function soon from another thread.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, cast

from consul_core import UsageError
from consul_transports._fork import start_afresh_after_fork

if TYPE_CHECKING:
    from trio.lowlevel import TrioToken

__all__ = ["LoopOwner", "checkpoint", "running_loop", "scheduler"]


def running_loop() -> asyncio.AbstractEventLoop | TrioToken | None:
    """The running asyncio loop, or the token of the running trio run; None outside both."""
    loop = asyncio._get_running_loop()  # asyncio's own question, the cheapest
    if loop is not None:
        return loop
    trio = sys.modules.get("trio")  # imported by whoever runs it: trio is an optional extra
    if trio is not None:
        try:
            return cast("TrioToken", trio.lowlevel.current_trio_token())
        except RuntimeError:  # not in a trio run
            pass
    return None


def checkpoint() -> Callable[[], Awaitable[None]]:
    """The running library's checkpoint, as anyio's calls it (anyio's asks which library runs
    at each call: half of a checkpoint's cost under uvloop, 2.3 against 1.1 us).
    """
    if asyncio._get_running_loop() is not None:
        return functools.partial(asyncio.sleep, 0)  # what anyio's asyncio checkpoint awaits
    from trio.lowlevel import checkpoint as trio_checkpoint  # noqa: PLC0415  (optional extra)

    return trio_checkpoint


def scheduler() -> Callable[[Callable[[], object]], object] | None:
    """What runs a function soon in the running event loop's thread, from any thread; None
    outside an event loop.
    """
    loop = running_loop()
    if loop is None:
        return None
    if isinstance(loop, asyncio.AbstractEventLoop):
        return loop.call_soon_threadsafe
    return loop.run_sync_soon


def _nothing() -> None:
    pass


def _may_run_calls(loop: asyncio.AbstractEventLoop | TrioToken, in_use: bool) -> bool:
    """Whether `loop` may still run calls of a transport that has calls in progress if
    `in_use`.
    """
    if isinstance(loop, asyncio.AbstractEventLoop):
        return loop.is_running() or (in_use and not loop.is_closed())
    from trio import RunFinishedError  # noqa: PLC0415  (imported already: `loop` is trio's)

    try:
        loop.run_sync_soon(_nothing)  # refused by a run that has ended; a no-op in one that runs
    except RunFinishedError:
        return False
    return True


class LoopOwner:
    """The event loop whose calls a transport serves: the first call's, then each new one's
    once the last can no longer run calls (the transport then starts afresh).
    """

    __slots__ = ("__weakref__", "_in_use", "_loop", "_start_afresh")  # weakly kept by `_fork`

    def __init__(self, start_afresh: Callable[[], None], in_use: Callable[[], bool]) -> None:
        """Serve the event loop of the first call.

        Args:
            start_afresh: Makes the transport forget its connections and counts.
            in_use: Whether calls hold connections of the transport now.
        """
        self._start_afresh = start_afresh
        self._in_use = in_use
        self._loop: asyncio.AbstractEventLoop | TrioToken | None = None
        start_afresh_after_fork(self)

    def start_afresh(self) -> None:
        """In a child process just forked: serve the event loop of the next call (the parent's,
        copied in the middle of its run, will never run here).
        """
        self._loop = None

    def follow(self) -> None:
        """Take a call: from an event loop other than the last call's, the transport starts
        afresh first.

        Raises:
            UsageError: The last call's event loop may still run calls of the transport.
        """
        loop = running_loop()
        if loop is not self._loop and loop is not None:
            self._move(loop)

    def _move(self, loop: asyncio.AbstractEventLoop | TrioToken) -> None:
        last = self._loop
        if last is not None:
            if _may_run_calls(last, self._in_use()):
                raise UsageError(
                    "the client is in use in another event loop, which still runs: an async "
                    "client serves one event loop at a time (it moves to a new one once the "
                    "last has ended); make a client for each event loop"
                )
            self._start_afresh()
        self._loop = loop
