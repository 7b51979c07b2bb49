"""`ConsulAgent`: a real Consul dev agent on free loopback ports, for tests (yours and ours).

Modelled on the Go SDK's ``testutil.TestServer``: it writes a config file, starts
``consul agent -dev``, waits until a leader is elected and the agent's node is in the catalog
(and, with ACLs on, until the master token works), and stops the process on exit.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from consul_core import ConsulError
from consul_transports._sync.client import SyncConsul
from consul_transports.testing._install import find_consul

__all__ = ["AgentFailed", "AgentTLS", "ConsulAgent", "free_port"]

LOOPBACK = "127.0.0.1"


class AgentFailed(ConsulError):
    """The agent did not start, or did not become ready in time."""


@attrs.frozen
class AgentTLS:
    """The PEM files of an agent that serves HTTPS and requires client certificates.

    Attributes:
        ca_file: The CA that signed the agent's certificate and the clients'.
        cert_file: The agent's certificate.
        key_file: The agent's private key.
    """

    ca_file: str | os.PathLike[str]
    cert_file: str | os.PathLike[str]
    key_file: str | os.PathLike[str]


def free_port(host: str = LOOPBACK) -> int:
    """Return a port that is free for both TCP and UDP on `host` (Serf needs both)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind((host, 0))
            port: int = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind((host, port))
                except OSError:
                    continue
            return port
    raise AgentFailed("no free loopback port")


class ConsulAgent:
    """A Consul dev agent on loopback, started by `start` (or ``with``) and stopped by `stop`.

    Attributes:
        master_token: The ACL master token when ACLs are on, else None.
        http_port: The HTTP API port.
        node_name: The agent's node name.
    """

    def __init__(
        self,
        *,
        acl: bool = False,
        master_token: str | None = None,
        default_policy: str = "allow",
        extra_config: dict[str, Any] | None = None,
        binary: str | os.PathLike[str] | None = None,
        log_level: str = "warn",
        ready_timeout: float = 30.0,
        tls: AgentTLS | None = None,
        unix_socket: str | os.PathLike[str] | None = None,
    ) -> None:
        """Describe the agent; nothing starts until `start`.

        Args:
            acl: Enable ACLs (with `default_policy`) and a master token.
            master_token: The master token; a random UUID by default when `acl` is on.
            default_policy: ACL default policy, ``"allow"`` or ``"deny"``.
            extra_config: More agent configuration, merged over the generated one.
            binary: The consul binary; default: found or fetched by `find_consul`.
            log_level: The agent's log level.
            ready_timeout: How long to wait for the agent to become ready, in seconds.
            tls: Also serve HTTPS (on `https_port`) with these files, verifying clients'
                certificates.
            unix_socket: Serve the HTTP API on this unix socket instead of a TCP port.
        """
        self.master_token = (master_token or str(uuid.uuid4())) if acl else None
        self._acl = acl
        self._default_policy = default_policy
        self._extra = extra_config or {}
        self._binary = Path(binary) if binary else None
        self._log_level = log_level
        self._ready_timeout = ready_timeout
        self.node_name = f"node-{secrets.token_hex(4)}"
        self.http_port = 0
        self.https_port = 0
        self._tls = tls
        self._unix_socket = os.fspath(unix_socket) if unix_socket is not None else None
        self._ports: dict[str, int] = {}
        self._dir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        """The agent's HTTP address, ``http://127.0.0.1:PORT`` (``unix:///PATH`` with a socket)."""
        if self._unix_socket is not None:
            return f"unix://{self._unix_socket}"
        return f"http://{LOOPBACK}:{self.http_port}"

    @property
    def https_address(self) -> str:
        """The agent's HTTPS address, ``https://127.0.0.1:PORT`` (with `tls` only)."""
        if self._tls is None:
            raise AgentFailed("this agent serves no HTTPS: pass tls=AgentTLS(...)")
        return f"https://{LOOPBACK}:{self.https_port}"

    @property
    def pid(self) -> int | None:
        """The agent process's ID while it runs."""
        return self._process.pid if self._process else None

    def config(self) -> dict[str, Any]:
        """The agent configuration that `start` writes."""
        config: dict[str, Any] = {
            "node_name": self.node_name,
            "bind_addr": LOOPBACK,
            "client_addr": LOOPBACK,
            "advertise_addr": LOOPBACK,
            "ports": {**self._ports, "dns": -1, "grpc": -1, "https": -1},
            "log_level": self._log_level,
            "disable_update_check": True,
            "enable_script_checks": False,
            "performance": {"raft_multiplier": 1},
        }
        if self._tls is not None:
            config["ports"]["https"] = self.https_port
            config.update(
                ca_file=os.fspath(self._tls.ca_file),
                cert_file=os.fspath(self._tls.cert_file),
                key_file=os.fspath(self._tls.key_file),
                verify_incoming=True,
            )
        if self._unix_socket is not None:
            config["addresses"] = {"http": f"unix://{self._unix_socket}"}
        if self._acl:
            config["primary_datacenter"] = "dc1"
            config["acl"] = {
                "enabled": True,
                "default_policy": self._default_policy,
                "enable_token_persistence": False,
                "tokens": {"master": self.master_token, "agent": self.master_token},
            }
        config.update(self._extra)
        return config

    def start(self) -> ConsulAgent:
        """Start the agent and wait until it is ready.

        Returns:
            This agent.

        Raises:
            AgentFailed: The agent exited or did not become ready in time.
            ConsulNotAvailable: No consul binary could be found or fetched.
        """
        binary = self._binary or find_consul()
        if not self._ports:
            self._ports = {n: free_port() for n in ("http", "serf_lan", "serf_wan", "server")}
            self.http_port = self._ports["http"]
            if self._tls is not None:
                self.https_port = free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="consul-agent-"))
        config_file = self._dir / "agent.json"
        config_file.write_text(json.dumps(self.config()))
        self._log = (self._dir / "agent.log").open("wb")
        self._process = subprocess.Popen(
            [str(binary), "agent", "-dev", "-config-file", str(config_file)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def log(self) -> str:
        """What the agent has logged so far."""
        if self._dir is None or not (self._dir / "agent.log").exists():
            return ""
        return (self._dir / "agent.log").read_text(errors="replace")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self._ready_timeout
        with SyncConsul(self.address, token=self.master_token, timeout=2.0) as client:
            while True:
                if self._process is not None and self._process.poll() is not None:
                    raise AgentFailed(
                        f"consul exited with {self._process.returncode}:\n{self.log()}"
                    )
                try:
                    # The KV read goes through the ACL system, so it also proves the token.
                    if client.status.leader():
                        client.kv.keys("")
                        return
                except ConsulError:
                    pass
                if time.monotonic() > deadline:
                    raise AgentFailed(
                        f"consul not ready after {self._ready_timeout}s:\n{self.log()}"
                    )
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the agent (gracefully, then by force) and remove its files."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._dir is not None:
            self._log.close()
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def restart(self) -> None:
        """Stop the agent and start it again on the same ports (a dev agent loses its data)."""
        self.stop()
        self.start()

    def __enter__(self) -> ConsulAgent:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
