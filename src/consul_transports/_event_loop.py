"""The event loop a call runs in, for the async transports: an asyncio loop or a trio run, asked
of the two libraries directly (sniffio, which anyio asks, costs about a microsecond a call).

Rules:
- A transport's connections and counts serve one event loop at a time (`LoopOwner`). A call
  from another event loop (a second ``asyncio.run``, a test's own loop, trio after asyncio)
  finds the transport started afresh, as in a child process after a fork, once the last
  loop's calls can no longer run: that loop has ended, or it is stopped with no call in
  progress. While they can, the call is a `UsageError`: two running loops sharing a pool
  would each wait on the other's sockets and counts. A trio run is known by its thread: the
  next trio run in the same thread goes on with the connections (trio's sockets allow it).
- Trio in guest mode runs its tasks inside an asyncio loop, which asyncio then reports as
  running: trio's own mark (sniffio's, which trio sets while its tasks run) is asked first.
- `checkpoint` and `scheduler` give the running library's own checkpoint, and its way to run a
  function soon from another thread.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import threading
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, cast

from consul_core import UsageError
from consul_transports._fork import start_afresh_after_fork

if TYPE_CHECKING:
    from trio.lowlevel import TrioToken

__all__ = ["LoopOwner", "checkpoint", "running_loop", "scheduler"]


# asyncio's own question, the cheapest (a C function: None outside a loop, never raising); and
# the thread, which names a trio run (bound here: each is asked at every call).
_asyncio_loop = asyncio._get_running_loop
_thread = threading.get_ident
_modules = sys.modules


def _trio_guest() -> bool:
    """Whether trio runs the current task, asked where an asyncio loop runs the thread: trio in
    guest mode.
    """
    sniffio = _modules.get("sniffio")  # imported by trio, which marks its runs in it
    return sniffio is not None and sniffio.thread_local.name == "trio"


def _trio_run() -> TrioToken | None:
    """The token of the running trio run, or None."""
    trio = sys.modules.get("trio")  # imported by whoever runs it: trio is an optional extra
    if trio is not None:
        try:
            return cast("TrioToken", trio.lowlevel.current_trio_token())
        except RuntimeError:  # not in a trio run
            pass
    return None


def running_loop() -> asyncio.AbstractEventLoop | TrioToken | None:
    """The running asyncio loop, or the token of the running trio run; None outside both."""
    loop = _asyncio_loop()
    return _trio_run() if loop is None or _trio_guest() else loop


def checkpoint() -> Callable[[], Awaitable[None]]:
    """The running library's checkpoint, as anyio's calls it (anyio's asks which library runs
    at each call: half of a checkpoint's cost under uvloop, 2.3 against 1.1 us).
    """
    if _asyncio_loop() is not None and not _trio_guest():
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


def _may_run_calls(loop: asyncio.AbstractEventLoop | TrioToken | None, in_use: bool) -> bool:
    """Whether `loop` (an asyncio loop, or a trio run's token) may still run calls of a
    transport that has calls in progress if `in_use`.
    """
    if loop is None:
        return False
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

    An asyncio loop is known by itself: its sockets are its own. A trio run is known by its
    thread, which runs one at a time: that costs less to ask at each call than the run's token,
    and a trio socket serves the next run in the thread as well.
    """

    __slots__ = ("__weakref__", "_in_use", "_owner", "_start_afresh", "_trio_run")

    def __init__(self, start_afresh: Callable[[], None], in_use: Callable[[], bool]) -> None:
        """Serve the event loop of the first call.

        Args:
            start_afresh: Makes the transport forget its connections and counts.
            in_use: Whether calls hold connections of the transport now.

        Both are the transport's methods, kept weakly: the transport keeps this, and a cycle
        would keep a client dropped unclosed, and its sockets, until the collector's next pass.
        """
        self._start_afresh = weakref.WeakMethod(start_afresh)
        self._in_use = weakref.WeakMethod(in_use)
        self._owner: asyncio.AbstractEventLoop | int | None = None  # a loop, or a trio thread
        self._trio_run: TrioToken | None = None  # the trio thread's run
        start_afresh_after_fork(self)  # weakly kept

    def start_afresh(self) -> None:
        """In a child process just forked: serve the event loop of the next call (the parent's,
        copied in the middle of its run, will never run here).
        """
        self._owner = self._trio_run = None

    def follow(self) -> None:
        """Take a call: from an event loop other than the last call's, the transport starts
        afresh first.

        Raises:
            UsageError: The last call's event loop may still run calls of the transport.
        """
        owner: asyncio.AbstractEventLoop | int | None = _asyncio_loop()
        # _trio_guest(), inlined: asked at every call, the call itself cost 0.18 us (measured).
        if owner is None or (
            (sniffio := _modules.get("sniffio")) is not None and sniffio.thread_local.name == "trio"
        ):
            owner = _thread()
        if owner != self._owner:
            self._move(owner)

    def _move(self, owner: asyncio.AbstractEventLoop | int) -> None:
        last = self._owner
        if last is not None:
            loop = last if isinstance(last, asyncio.AbstractEventLoop) else self._trio_run
            in_use = self._in_use()
            if _may_run_calls(loop, in_use is not None and in_use()):
                raise UsageError(
                    "the client is in use in another event loop, which may still run its "
                    "calls: an async client serves one event loop at a time (it moves to a new "
                    "one once the last has ended); make a client for each event loop"
                )
            start_afresh = self._start_afresh()
            if start_afresh is not None:
                start_afresh()
        self._owner = owner
        self._trio_run = None if isinstance(owner, asyncio.AbstractEventLoop) else _trio_run()
