"""Stopping a watch or a stream from outside the loop that iterates it: `AsyncStop` for another
task (an anyio cancel scope around each step) and `Stop` for another thread (the pending read's
socket shut down, the pending sleep and the wait for a connection woken), so that ``close()``
ends it at once rather than when its blocking read returns (up to a watch's wait, five minutes
by default; a log stream's next line).

Hand-written on both sides: cancelling a task and interrupting a thread differ in more than
words. The generated watches and drivers use them by their twin names (scripts/unasync.py).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from typing import Protocol, TypeVar

import anyio

__all__ = ["AnyStop", "AsyncStop", "Interrupted", "Stop", "current_step"]

_T = TypeVar("_T")


class Interrupted(BaseException):
    """A thread's step of a watch or a stream was stopped from another thread (a
    `BaseException`, as a cancellation is, so that no ``except Exception`` takes it for a
    failure).
    """


class AnyStop(Protocol):
    """`AsyncStop` or `Stop`, for what is written once for both sides (`WatchBase`,
    `ItemsBase`).
    """

    cancel_called: bool

    def __enter__(self) -> object: ...

    def __exit__(self, kind: object, exc: object, traceback: object) -> bool: ...

    def cancel(self) -> bool:
        """Stop the step under way, and every later one; whether none was under way (the
        caller then ends what the steps read).
        """
        ...


class AsyncStop:
    """What stops the steps of a watch or a stream from another task: each step runs in a new
    cancel scope, which `cancel` cancels; a stopped step ends quietly.
    """

    __slots__ = ("_scope", "cancel_called")

    def __init__(self) -> None:
        self._scope: anyio.CancelScope | None = None
        self.cancel_called = False

    def __enter__(self) -> AsyncStop:
        self._scope = scope = anyio.CancelScope()
        if self.cancel_called:
            scope.cancel()
        scope.__enter__()
        return self

    def __exit__(self, kind: object, exc: object, traceback: object) -> bool:
        scope, self._scope = self._scope, None
        assert scope is not None
        if not isinstance(exc, BaseException):
            return bool(scope.__exit__(None, None, None))
        # The scope swallows its own cancellation; an error a stopped step raised (the flow's
        # answer to a read cut short) ends quietly too.
        swallowed = bool(scope.__exit__(type(exc), exc, exc.__traceback__))
        return swallowed or (self.cancel_called and isinstance(exc, Exception))

    def cancel(self) -> bool:
        """Stop the step under way, and every later one.

        Returns:
            Whether no step was under way: the caller ends the watch or stream (else that step
            does).
        """
        self.cancel_called = True
        if self._scope is None:
            return True
        self._scope.cancel()
        return False

    @staticmethod
    async def sleep(seconds: float) -> None:
        """Sleep (a cancelled step's sleep ends at once, as any task's does)."""
        await anyio.sleep(seconds)


current_step: ContextVar[Stop | None] = ContextVar("consul_step", default=None)
"""The `Stop` of the step of a watch or a stream that the thread runs, if any (a read registers
its socket there)."""


class Stop:
    """What stops the steps of a watch or a stream from another thread: while a step runs, its
    socket reads, its sleeps and its waits for a connection are registered here, and `cancel`
    shuts the socket down and wakes the sleep and the wait; the stopped step ends quietly.
    """

    __slots__ = ("_active", "_conditions", "_lock", "_sockets", "_token", "_woken", "cancel_called")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._woken = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._conditions: set[threading.Condition] = set()
        self._active = False
        self._token: Token[Stop | None] | None = None
        self.cancel_called = False

    def __enter__(self) -> Stop:
        with self._lock:
            self._active = True
        self._token = current_step.set(self)
        return self

    def __exit__(self, kind: object, exc: object, traceback: object) -> bool:
        if self._token is not None:
            current_step.reset(self._token)
            self._token = None
        with self._lock:
            self._active = False
        return self.cancel_called and isinstance(exc, (Interrupted, Exception))

    def cancel(self) -> bool:
        """Stop the step under way (in any thread), and every later one.

        Returns:
            Whether no step was under way: the caller ends the watch or stream (else that step
            does).
        """
        with self._lock:
            self.cancel_called = True
            idle = not self._active
            # Under the lock: a socket whose `reading` block ended may serve another call.
            for sock in self._sockets:
                # The plain socket's shutdown (a TLS socket's own would drop its TLS state
                # under the reading thread): the thread's wait ends, and its connection is
                # dropped.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
            conditions = list(self._conditions)
        self._woken.set()
        # Outside this lock: the waiting thread holds a condition's lock when it takes this one.
        for condition in conditions:
            with condition:
                condition.notify_all()
        return idle

    @contextlib.contextmanager
    def _registered(self, found: set[_T], item: _T) -> Iterator[None]:
        """`item` in `found` for the block, where `cancel` reaches it.

        Raises:
            Interrupted: The step is stopped already.
        """
        with self._lock:
            if self.cancel_called:
                raise Interrupted
            found.add(item)
        try:
            yield
        finally:
            with self._lock:
                found.discard(item)

    @contextlib.contextmanager
    def reading(self, sock: socket.socket) -> Iterator[None]:
        """The block in which the step's thread reads (or waits on) `sock`: registered, so that
        `cancel` shuts it down; what a read broken so raises is `Interrupted`.

        Raises:
            Interrupted: The step is stopped (already, or during the block).
        """
        with self._registered(self._sockets, sock):
            try:
                yield
            except BaseException:
                if self.cancel_called:  # what broke the read is the stop
                    raise Interrupted from None
                raise
            # A socket shut down reads as the end of the connection, which a transport may take
            # for the agent's close, and answer by sending the request again (httpx does).
            if self.cancel_called:
                raise Interrupted

    @staticmethod
    def read(sock: socket.socket, read: Callable[[], _T]) -> _T:
        """`read()`, a read of (or a wait on) `sock`; in a watch's or a stream's step, in
        `reading`, so that stopping the step cuts it short.

        Raises:
            Interrupted: The step was stopped (already, or during the read).
        """
        stop = current_step.get()
        if stop is None:
            return read()
        with stop.reading(sock):
            return read()

    @staticmethod
    def sleep(seconds: float) -> None:
        """Sleep; in a watch's step, until the watch is stopped.

        Raises:
            Interrupted: The step was stopped.
        """
        stop = current_step.get()
        if stop is None:
            time.sleep(seconds)
            return
        if stop._woken.wait(seconds) or stop.cancel_called:
            raise Interrupted

    @staticmethod
    def wait_for(
        condition: threading.Condition, ready: Callable[[], object], timeout: float
    ) -> bool:
        """``condition.wait_for(ready, timeout)`` (`condition` held by the caller); in a watch's
        or a stream's step, until the step is stopped.

        Returns:
            Whether `ready` said so before the timeout.

        Raises:
            Interrupted: The step was stopped.
        """
        stop = current_step.get()
        if stop is None:
            return bool(condition.wait_for(ready, timeout))
        with stop._registered(stop._conditions, condition):
            # `cancel` notifies only once it holds `condition`'s lock, which the wait gives up:
            # a stop after the check of the flag below still wakes the wait.
            done = condition.wait_for(lambda: stop.cancel_called or ready(), timeout)
        if stop.cancel_called:
            raise Interrupted
        return bool(done)
