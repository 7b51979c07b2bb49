"""`ConsulCluster`: a real cluster of Consul servers on loopback, for tests of what happens when
the cluster loses its leader.

Rules:
- Each server is a real one (``consul agent -server``, not ``-dev``) with its own data
  directory and its own free ports on 127.0.0.1; they find each other with ``retry_join``, and
  elect a leader once all of them are up (``bootstrap_expect``), with the fastest Raft timing
  (``raft_multiplier`` 1). ACLs are on, with a master token.
- Ready means: every running server knows the same leader, the Raft configuration holds every
  server as a voter, a read through the ACL system (with the master token) succeeds on every
  running server from its own state (a stale read), and every running server's node is in the
  catalog with its Serf check passing (a session can only be created on a healthy node).
- A killed server keeps its data and ports, so that a restart brings the same Raft voter back.
  Autopilot does not prune dead servers here: a killed server stays a voter until it is back.
- Stopping (also on a failed start) stops every process and removes every file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from consul_core import ConsulError, UsageError
from consul_transports._sync.client import SyncConsul
from consul_transports.testing._install import find_consul
from consul_transports.testing._process import (
    LOOPBACK,
    AgentFailed,
    AgentProcess,
    acl_config,
    free_ports,
    loopback_config,
    node_serves,
    wait_until,
)

__all__ = ["ClusterServer", "ConsulCluster"]

_PORTS = ("http", "serf_lan", "serf_wan", "server")
# The timeout of each readiness probe; the election blocks a forwarded call for up to 7 s.
_PROBE_TIMEOUT = 2.0


class ClusterServer:
    """One server of a `ConsulCluster`.

    Attributes:
        index: Its position in `ConsulCluster.servers`.
        node_name: Its node name.
        ports: Its ports by name (``http``, ``serf_lan``, ``serf_wan``, ``server``).
    """

    def __init__(self, index: int, node_name: str, ports: dict[str, int], directory: Path) -> None:
        self.index = index
        self.node_name = node_name
        self.ports = ports
        self._directory = directory
        self._process: AgentProcess | None = None

    @property
    def address(self) -> str:
        """Its HTTP address, ``http://127.0.0.1:PORT``."""
        return f"http://{LOOPBACK}:{self.ports['http']}"

    @property
    def raft_address(self) -> str:
        """Its server (Raft) address, ``127.0.0.1:PORT``, as Consul names the leader."""
        return f"{LOOPBACK}:{self.ports['server']}"

    @property
    def running(self) -> bool:
        """Whether its process runs."""
        return self._process is not None and self._process.running

    @property
    def pid(self) -> int | None:
        """Its process ID while it runs."""
        return self._process.pid if self._process is not None else None

    @property
    def data_dir(self) -> Path:
        """Its data directory, kept across a kill and a restart."""
        return self._directory / "data"

    @property
    def process(self) -> AgentProcess | None:
        """Its process, once started."""
        return self._process

    def log(self) -> str:
        """What it has logged so far (across restarts)."""
        return self._process.log() if self._process is not None else ""

    def start(self, binary: Path, config: dict[str, Any]) -> None:
        """Start its process with `config` (on its data directory)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._process = AgentProcess(binary, [], self._directory)
        self._process.start(config)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<ClusterServer {self.index} {self.node_name} {self.address} {state}>"


class ConsulCluster:
    """Consul servers on loopback, started by `start` (or ``with``) and stopped by `stop`.

    Example:
        >>> with ConsulCluster() as cluster:  # doctest: +SKIP
        ...     leader = cluster.leader()
        ...     follower = cluster.followers()[0]
        ...     cluster.kill(leader)  # SIGKILL: an election follows
        ...     cluster.wait_for_leader()
        ...     cluster.restart(leader)  # back with its data: three voters again

    Attributes:
        master_token: The ACL master token.
        servers: The servers, by index.
        ready_timeout: How long `start`, `restart` and `wait_for_leader` wait, in seconds.
    """

    def __init__(
        self,
        size: int = 3,
        *,
        master_token: str | None = None,
        default_policy: str = "allow",
        extra_config: dict[str, Any] | None = None,
        binary: str | os.PathLike[str] | None = None,
        log_level: str = "warn",
        ready_timeout: float = 60.0,
    ) -> None:
        """Describe the cluster; nothing starts until `start`.

        Args:
            size: How many servers (3 tolerates the loss of one).
            master_token: The ACL master token; a random UUID by default.
            default_policy: The ACL default policy, ``"allow"`` or ``"deny"``.
            extra_config: More server configuration, merged over the generated one.
            binary: The consul binary; default: found or fetched by `find_consul`.
            log_level: The servers' log level.
            ready_timeout: How long to wait for the cluster to become ready, in seconds.

        Raises:
            UsageError: `size` is not a positive number of servers.
        """
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise UsageError(f"a cluster needs at least one server, not {size!r}")
        self.size = size
        self.master_token = master_token or str(uuid.uuid4())
        self.ready_timeout = ready_timeout
        self.servers: list[ClusterServer] = []
        self._default_policy = default_policy
        self._extra = extra_config or {}
        self._binary = Path(binary) if binary else None
        self._log_level = log_level
        self._dir: Path | None = None

    def config(self, index: int) -> dict[str, Any]:
        """The configuration that server `index` starts with."""
        server = self.servers[index]
        config = loopback_config(server.node_name, server.ports, self._log_level)
        config.update(acl_config(self.master_token, self._default_policy))
        config.update(
            datacenter="dc1",
            server=True,
            bootstrap_expect=self.size,
            data_dir=os.fspath(server.data_dir),
            retry_join=[
                f"{LOOPBACK}:{other.ports['serf_lan']}"
                for other in self.servers
                if other is not server
            ],
            retry_interval="1s",
            autopilot={"cleanup_dead_servers": False, "server_stabilization_time": "1s"},
        )
        config.update(self._extra)
        return config

    def start(self) -> ConsulCluster:
        """Start every server and wait until the cluster is ready.

        Returns:
            This cluster.

        Raises:
            AgentFailed: A server exited, or the cluster did not become ready in time.
            ConsulNotAvailable: No consul binary could be found or fetched.
        """
        binary = self._binary or find_consul()
        self._dir = Path(tempfile.mkdtemp(prefix="consul-cluster-"))
        try:
            self.servers = []
            chosen = iter(free_ports(len(_PORTS) * self.size))
            for index in range(self.size):
                directory = self._dir / f"server-{index}"
                directory.mkdir()
                ports = {name: next(chosen) for name in _PORTS}
                node_name = f"server-{index}-{secrets.token_hex(3)}"
                self.servers.append(ClusterServer(index, node_name, ports, directory))
            for server in self.servers:
                server.start(binary, self.config(server.index))
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _processes(self) -> list[AgentProcess]:
        return [s.process for s in self.servers if s.running and s.process is not None]

    def _wait(self, what: str, ready: Callable[[], bool], timeout: float | None) -> None:
        wait_until(
            ready,
            timeout=self.ready_timeout if timeout is None else timeout,
            what=what,
            processes=self._processes(),
        )

    def _client(self, index: int) -> SyncConsul:
        server = self.servers[index]
        return SyncConsul(server.address, token=self.master_token, timeout=_PROBE_TIMEOUT)

    def _leader_seen_by(self, index: int) -> int | None:
        with self._client(index) as client:
            address = client.status.leader()
        return next((s.index for s in self.servers if s.raft_address == address), None)

    def _agreed_leader(self) -> int | None:
        """The running server that every running server names as the leader, or None."""
        seen = {self._leader_seen_by(s.index) for s in self.servers if s.running}
        if len(seen) != 1:
            return None
        leader = seen.pop()
        return leader if leader is not None and self.servers[leader].running else None

    def _serves(self, server: ClusterServer) -> bool:
        """Whether `server` resolves the master token and its node is registered and healthy
        (Consul refuses to create a session on a node that is not).
        """
        with self._client(server.index) as client:
            return node_serves(client, server.node_name)

    def wait_ready(self, timeout: float | None = None) -> None:
        """Wait until every running server knows the leader, every server (running or not) is
        a Raft voter, and every running server answers through the ACL system and has its node
        registered and healthy (so that sessions can be created on it).

        Args:
            timeout: How long to wait, in seconds; default `ready_timeout`.

        Raises:
            AgentFailed: A server exited, or the cluster did not become ready in time.
        """

        def ready() -> bool:
            leader = self._agreed_leader()
            if leader is None:
                return False
            with self._client(leader) as client:
                configuration = client.operator.configuration()
            voters = {s.address for s in configuration.servers if s.voter}
            if voters != {s.raft_address for s in self.servers}:
                return False
            return all(self._serves(server) for server in self.servers if server.running)

        self._wait("the cluster ready (a leader, every server a voter, ACLs)", ready, timeout)

    def leader(self) -> int:
        """The index of the current leader, as every running server sees it.

        Raises:
            AgentFailed: The running servers do not agree on a running leader (an election is
                under way).
        """
        try:
            leader = self._agreed_leader()
        except ConsulError as exc:
            raise AgentFailed(f"no leader known: {exc}") from exc
        if leader is None:
            raise AgentFailed("the running servers agree on no running leader")
        return leader

    def followers(self) -> list[int]:
        """The indexes of the running servers that do not lead."""
        leader = self.leader()
        return [s.index for s in self.servers if s.running and s.index != leader]

    def wait_for_leader(self, timeout: float | None = None) -> int:
        """Wait until the running servers agree on a running leader.

        Args:
            timeout: How long to wait, in seconds; default `ready_timeout`.

        Returns:
            The leader's index.

        Raises:
            AgentFailed: A server exited, or no leader was elected in time.
        """
        found: list[int] = []

        def elected() -> bool:
            leader = self._agreed_leader()
            if leader is not None:
                found.append(leader)
            return leader is not None

        self._wait("a leader elected", elected, timeout)
        return found[-1]

    def kill(self, index: int) -> float:
        """Kill server `index` at once (SIGKILL), as a crash would; its data is kept.

        Returns:
            When it was killed, on the `time.monotonic` clock.
        """
        process = self.servers[index].process
        if process is None or not process.running:
            raise AgentFailed(f"server {index} is not running")
        killed = time.monotonic()
        process.kill()
        return killed

    def restart(self, index: int, timeout: float | None = None) -> None:
        """Start server `index` again (with its data and ports) and wait until the cluster is
        ready with it.

        Raises:
            AgentFailed: It is running, exited, or the cluster did not become ready in time.
        """
        server = self.servers[index]
        if server.running:
            raise AgentFailed(f"server {index} is running")
        server.start(self._binary or find_consul(), self.config(index))
        self.wait_ready(timeout)

    def stop(self) -> None:
        """Stop every server (gracefully, then by force) and remove every file."""
        for server in self.servers:
            if server.process is not None:
                server.process.interrupt()
        for server in self.servers:
            if server.process is not None:
                server.process.stop()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> ConsulCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
