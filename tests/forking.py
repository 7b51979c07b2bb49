"""Forking in tests: a child process that runs some work and never returns to the test, and the
parent's bounded wait for it.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable

import anyio
import anyio.to_thread
import pytest

# Python 3.12+ warns that a fork in a process with threads may deadlock in the child: the
# children of these tests only make a call or two.
FORK_WITH_THREADS = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)


def reaped(pid: int) -> int:
    """The exit status of child `pid`, waited for up to 60 s; -1 if it had not ended then (it
    is killed).
    """
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return -1


def in_a_child(work: Callable[[], bool]) -> int:
    """Fork, run `work` in the child and return the child's exit status (`reaped`): 0 when
    `work` said True, 1 when False, 2 when it raised.
    """
    pid = os.fork()
    if pid == 0:  # the child: it never returns to the test
        code = 2
        try:
            # The parent's trio run left its wakeup fd set: the child's own run sets its own.
            signal.set_wakeup_fd(-1)
            code = 0 if work() else 1
        finally:
            os._exit(code)
    return reaped(pid)


async def forked(work: Callable[[], bool]) -> int:
    """`in_a_child`, forked from a thread of its own: the child's one thread then runs no
    event loop, and `work` may start one.
    """
    status: list[int] = []
    thread = threading.Thread(target=lambda: status.append(in_a_child(work)))
    thread.start()
    await anyio.to_thread.run_sync(thread.join)
    return status[0]
