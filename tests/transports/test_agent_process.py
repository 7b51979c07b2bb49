"""The test agent's process dies with the process that started it from its main thread, however
that one ends: a runner killed with SIGKILL leaves no agent behind (Linux, through util-linux's
``setpriv``, which Debian always has).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from consul_transports.testing import _process

# Starts an agent, says its PID, then waits to be killed.
_RUNNER = """
import time
from consul_transports.testing import ConsulAgent
agent = ConsulAgent().start()
print(agent.pid, flush=True)
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
def test_a_runner_killed_with_sigkill_takes_its_agent_with_it() -> None:
    agent_pid = 0
    with subprocess.Popen(
        [sys.executable, "-c", _RUNNER], stdout=subprocess.PIPE, text=True
    ) as runner:
        try:
            assert runner.stdout is not None
            agent_pid = int(runner.stdout.readline())
            assert _alive(agent_pid)
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


def test_a_process_started_from_another_thread_is_not_tied_to_it() -> None:
    # The signal would follow that thread, which may end long before the process.
    prefixes: list[list[str]] = []
    thread = threading.Thread(target=lambda: prefixes.append(_process._dies_with_us()))
    thread.start()
    thread.join()
    assert prefixes == [[]]
    if sys.platform == "linux":  # the main thread's is the parent-death signal's
        assert _process._dies_with_us()[1:] == ["--pdeathsig", "KILL"]
