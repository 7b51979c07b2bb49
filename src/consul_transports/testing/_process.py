"""What every Consul process started for tests shares: free loopback ports, the loopback part of
the configuration, the ACL part, the process itself (config file, log, start, kill, stop) and the
wait until it is ready.

Rules:
- Everything listens on 127.0.0.1 only, on ports picked free at start; DNS and gRPC are off.
- Ports are picked below the kernel's ephemeral range: no outgoing connection takes one as its
  local end, nor is one handed to a bind to port 0, while an agent restarted on its ports (a
  `restart`) is down.
- A process is started in its own session, so that a signal to the test runner's group does not
  reach it, and is always waited for after a kill: no zombie is left behind.
- A process dies with the process that started it, however that one ends (a runner killed, or
  ended by pytest-timeout without its teardown), where Linux can tell it so (`_dies_with_us`).
  The signal follows the thread that starts it: another thread than the main one has it
  started by one that lives as long as the process (`_Launcher`).
- A wait polls with a deadline and fails early, with the log, when a process it waits for exits.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from consul_core import ConsulError

if TYPE_CHECKING:
    from consul_transports._sync.client import SyncConsul

__all__ = [
    "LOOPBACK",
    "AgentFailed",
    "AgentProcess",
    "acl_config",
    "free_port",
    "free_ports",
    "loopback_config",
    "node_serves",
    "wait_until",
]

T = TypeVar("T")

LOOPBACK = "127.0.0.1"
# The lowest port picked; the highest is below the ephemeral range.
_LOWEST_PORT = 10000
# Where Linux's ephemeral range starts by default (elsewhere, the range is higher).
_EPHEMERAL_START = 32768
# How often a wait polls.
_POLL = 0.05
# How long a stopped process may take to exit after SIGINT before it is killed.
_STOP_GRACE = 10.0


class AgentFailed(ConsulError):
    """The agent did not start, or did not become ready in time."""


def free_port(host: str = LOOPBACK) -> int:
    """Return a port that is free for both TCP and UDP on `host` (Serf needs both)."""
    return free_ports(1, host)[0]


def _ephemeral_start() -> int:
    """Where the kernel's ephemeral ports start (Linux's setting, else its default)."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return _EPHEMERAL_START
    return max(low, _LOWEST_PORT + 1000)


def free_ports(count: int, host: str = LOOPBACK) -> list[int]:
    """Return `count` distinct ports, each free for both TCP and UDP on `host`, picked at random
    below the kernel's ephemeral range.

    They are chosen together, each held open until all are found, so that none repeats (Consul
    refuses a configuration that gives two of its listeners the same port).
    """
    held: list[socket.socket] = []
    ports: list[int] = []
    highest = _ephemeral_start()
    try:
        for _ in range(100 * count):
            if len(ports) == count:
                return ports
            port = random.randrange(_LOWEST_PORT, highest)
            try:
                for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                    sock = socket.socket(socket.AF_INET, kind)
                    held.append(sock)
                    sock.bind((host, port))
            except OSError:
                continue
            ports.append(port)
        if len(ports) == count:
            return ports
    finally:
        for sock in held:
            sock.close()
    raise AgentFailed("no free loopback port")


def loopback_config(node_name: str, ports: dict[str, int], log_level: str) -> dict[str, Any]:
    """The configuration of an agent bound to loopback only, on `ports` (DNS and gRPC off)."""
    return {
        "node_name": node_name,
        "bind_addr": LOOPBACK,
        "client_addr": LOOPBACK,
        "advertise_addr": LOOPBACK,
        "ports": {**ports, "dns": -1, "grpc": -1, "https": -1},
        "log_level": log_level,
        "disable_update_check": True,
        "enable_script_checks": False,
        "performance": {"raft_multiplier": 1},
    }


def node_serves(client: SyncConsul, node_name: str) -> bool:
    """Whether the agent that `client` talks to resolves the client's token and has its node
    `node_name` registered and healthy: Consul refuses to create a session on a node that is
    not ("Missing node registration" for a while after a dev agent elects itself).
    """
    client.kv.keys("", consistency="stale")  # through the server's own ACL state
    checks, _ = client.health.node(node_name)
    return any(c.check_id == "serfHealth" and c.status == "passing" for c in checks)


def acl_config(master_token: str, default_policy: str) -> dict[str, Any]:
    """The configuration that turns ACLs on, with `master_token` as master and agent token."""
    return {
        "primary_datacenter": "dc1",
        "acl": {
            "enabled": True,
            "default_policy": default_policy,
            "enable_token_persistence": False,
            "tokens": {"master": master_token, "agent": master_token},
        },
    }


@functools.cache
def _setpriv() -> str | None:
    """util-linux's ``setpriv``, if it is there and sets a parent-death signal (2.33 and
    later); tried once.
    """
    found = shutil.which("setpriv")
    if found is None:
        return None
    try:
        tried = subprocess.run(
            [found, "--pdeathsig", "KILL", "true"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found if tried.returncode == 0 else None


def _dies_with_us() -> list[str]:
    """What to start a process with so that it is killed when the thread that starts it ends:
    Linux's parent-death signal, set by ``setpriv`` before it runs the command. Elsewhere,
    nothing.
    """
    setpriv = _setpriv()
    return [] if setpriv is None else [setpriv, "--pdeathsig", "KILL"]


class _Launcher:
    """Starts processes for the threads other than the main one, from a thread of its own that
    lives as long as this process: the parent-death signal follows the thread that started a
    process, and a caller's thread may end long before the process does (the process would die
    with it). The main thread ends with the process, and starts its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        # A child after os.fork has none of the parent's threads: it makes its own.
        if hasattr(os, "register_at_fork"):  # POSIX only: there is no fork elsewhere
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._pool = None

    def run(self, start: Callable[[], T]) -> T:
        """`start()` (which starts a process), called where the process dies with this one.

        Raises:
            Exception: What `start` raised.
        """
        if threading.current_thread() is threading.main_thread():
            return start()
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="consul-test-launcher")
            pool = self._pool
        return pool.submit(start).result()


_launcher = _Launcher()


class AgentProcess:
    """One ``consul agent`` process: its config file and log in `directory`, and the process.

    Attributes:
        directory: Where the config file and the log are written.
    """

    def __init__(self, binary: Path, args: list[str], directory: Path) -> None:
        """Describe the process; nothing starts until `start`.

        Args:
            binary: The consul binary.
            args: The arguments after ``consul agent`` (the config file is added).
            directory: An existing directory for the config file and the log.
        """
        self.directory = directory
        self._command = [str(binary), "agent", *args]
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The process ID while it runs."""
        return self._process.pid if self.running and self._process else None

    @property
    def running(self) -> bool:
        """Whether the process was started and has not exited."""
        return self._process is not None and self._process.poll() is None

    def start(self, config: dict[str, Any]) -> None:
        """Write `config` and start the process (its log is appended to)."""
        config_file = self.directory / "agent.json"
        config_file.write_text(json.dumps(config))
        self._log = (self.directory / "agent.log").open("ab")
        command = [*_dies_with_us(), *self._command, "-config-file", str(config_file)]
        log = self._log
        self._process = _launcher.run(
            lambda: subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )

    def check_alive(self) -> None:
        """Raise `AgentFailed`, with the log, if the process has exited."""
        if self._process is not None and self._process.poll() is not None:
            raise AgentFailed(f"consul exited with {self._process.returncode}:\n{self.log()}")

    def log(self) -> str:
        """What the process has logged so far."""
        path = self.directory / "agent.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self) -> None:
        """Kill the process at once (SIGKILL), as a crash would, and wait for it."""
        self._end(signal.SIGKILL, 0.0)

    def stop(self) -> None:
        """Stop the process gracefully (SIGINT), by force if it takes too long."""
        self._end(signal.SIGINT, _STOP_GRACE)

    def interrupt(self) -> None:
        """Send SIGINT without waiting (stop many at once, then `stop` each)."""
        if self.running and self._process is not None:
            self._process.send_signal(signal.SIGINT)

    def _end(self, sig: signal.Signals, grace: float) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(grace or None)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def wait_until(
    ready: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    processes: Iterable[AgentProcess],
) -> None:
    """Poll `ready` until it answers True; a `ConsulError` from it counts as not ready yet.

    Args:
        ready: The check.
        timeout: How long to wait, in seconds.
        what: What is awaited, for the error message.
        processes: The processes that must keep running meanwhile.

    Raises:
        AgentFailed: A process exited, or `ready` did not answer True in time (with the logs).
    """
    watched = list(processes)
    deadline = time.monotonic() + timeout
    while True:
        for process in watched:
            process.check_alive()
        try:
            if ready():
                return
        except ConsulError:
            pass
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.directory}:\n{p.log()}" for p in watched)
            raise AgentFailed(f"{what}: not after {timeout}s\n{logs}")
        time.sleep(_POLL)
