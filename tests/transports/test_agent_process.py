"""The test agent's process dies with the process that started it, from whichever thread,
however that one ends: a runner killed with SIGKILL leaves no agent behind (Linux, through
util-linux's ``setpriv``, which Debian always has).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from consul_transports.testing import _process
from tests.forking import FORK_WITH_THREADS, in_a_child

# Starts an agent (from its main thread, or from a thread that ends at once), says its PID and
# its directory (which the test removes: a killed runner cannot), then waits to be killed.
_RUNNER = """
import sys, threading, time
from consul_transports.testing import ConsulAgent
agents = []
if sys.argv[1] == "thread":
    thread = threading.Thread(target=lambda: agents.append(ConsulAgent().start()))
    thread.start()
    thread.join()
else:
    agents.append(ConsulAgent().start())
print(agents[0].pid, agents[0]._dir, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie waiting for its reaper does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(sys.platform != "linux", reason="Linux's parent-death signal")
@pytest.mark.parametrize("started_from", ["main", "thread"])
def test_a_runner_killed_with_sigkill_takes_its_agent_with_it(started_from: str) -> None:
    agent_pid, directory = 0, ""
    with subprocess.Popen(
        [sys.executable, "-c", _RUNNER, started_from], stdout=subprocess.PIPE, text=True
    ) as runner:
        try:
            assert runner.stdout is not None
            pid, directory = runner.stdout.readline().split(maxsplit=1)
            agent_pid = int(pid)
            assert _alive(agent_pid)  # the thread that asked for it has ended: not with it
            runner.kill()  # no teardown runs
            runner.wait(10)
            deadline = time.monotonic() + 10
            while _alive(agent_pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not _alive(agent_pid)
        finally:
            runner.kill()
            if agent_pid and _alive(agent_pid):
                os.kill(agent_pid, signal.SIGKILL)
            if directory:
                shutil.rmtree(directory.strip(), ignore_errors=True)


@FORK_WITH_THREADS
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_s_threads_start_processes_through_a_launcher_of_its_own() -> None:
    # The parent's launcher thread is not in the child: a start asked from a thread there
    # would wait for it for good.
    launched = _started_from_a_thread()
    assert launched == 0

    def child() -> bool:
        return _started_from_a_thread() == 0

    assert in_a_child(child) == 0


def _started_from_a_thread() -> int | None:
    """The exit status of a process started through the launcher from a thread of its own, or
    None if that took over 30 s.
    """
    codes: list[int] = []

    def start() -> None:
        with _process._launcher.run(
            lambda: subprocess.Popen([sys.executable, "-c", "pass"])
        ) as process:
            codes.append(process.wait(30))

    thread = threading.Thread(target=start, daemon=True)
    thread.start()
    thread.join(30)
    return codes[0] if codes else None
