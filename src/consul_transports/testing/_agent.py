"""`ConsulAgent`: a real Consul dev agent on free loopback ports, for tests (yours and ours).

Modelled on the Go SDK's ``testutil.TestServer``: it writes a config file, starts
``consul agent -dev``, waits until a leader is elected and the agent's node is in the catalog
(and, with ACLs on, until the master token works), and stops the process on exit.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import attrs

from consul_transports._sync.client import SyncConsul
from consul_transports.testing._install import find_consul
from consul_transports.testing._process import (
    LOOPBACK,
    AgentFailed,
    AgentProcess,
    acl_config,
    free_port,
    free_ports,
    loopback_config,
    node_serves,
    wait_until,
)

__all__ = ["AgentFailed", "AgentTLS", "ConsulAgent", "free_port"]

# What Consul logs when a port chosen free was taken by another process before it bound it.
_PORT_TAKEN = "address already in use"
# How many times a start is tried when one of its ports was taken: on ports chosen afresh each
# time, or (a restart) on its own ports again after a pause, in seconds.
_START_ATTEMPTS = 3
_RESTART_PAUSE = 1.0


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
        self._process: AgentProcess | None = None

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
        config = loopback_config(self.node_name, self._ports, self._log_level)
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
        if self.master_token is not None:
            config.update(acl_config(self.master_token, self._default_policy))
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
        chosen_here = not self._ports  # a restart keeps the ports its clients know
        attempt = 1
        while True:
            if chosen_here:
                self._choose_ports()
            else:
                # The others are chosen afresh: another process may have taken one of them
                # while the agent was down, and no client knows them.
                self._choose_ports(restart=True)
            try:
                return self._start_on_ports(binary)
            except AgentFailed as failure:
                if _PORT_TAKEN not in str(failure) or attempt == _START_ATTEMPTS:
                    raise
            if not chosen_here:  # a restart keeps its ports: another process holds one a moment
                time.sleep(_RESTART_PAUSE)
            attempt += 1

    def _choose_ports(self, *, restart: bool = False) -> None:
        """Choose free ports for the agent's listeners; on a `restart`, but the ports clients
        talk to (HTTP, HTTPS), which it keeps.
        """
        names = ("http", "serf_lan", "serf_wan", "server")
        ports = free_ports(len(names) + 1)
        while restart and {self.http_port, self.https_port} & set(ports):  # free while down
            ports = free_ports(len(names) + 1)
        chosen: dict[str, int] = dict(zip(names, ports, strict=False))
        if restart:
            chosen["http"] = self.http_port
        else:
            self.http_port = chosen["http"]
            if self._tls is not None:
                self.https_port = ports[-1]
        self._ports = chosen

    def _start_on_ports(self, binary: Path) -> ConsulAgent:
        self._dir = Path(tempfile.mkdtemp(prefix="consul-agent-"))
        self._process = AgentProcess(binary, ["-dev"], self._dir)
        try:
            self._process.start(self.config())
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def log(self) -> str:
        """What the agent has logged so far."""
        return self._process.log() if self._process is not None else ""

    def _wait_ready(self) -> None:
        with SyncConsul(self.address, token=self.master_token, timeout=2.0) as client:

            def ready() -> bool:
                # The node check reads through the ACL system, so it also proves the token.
                return bool(client.status.leader()) and node_serves(client, self.node_name)

            wait_until(
                ready,
                timeout=self._ready_timeout,
                what="consul ready",
                processes=[self._process] if self._process is not None else [],
            )

    def stop(self) -> None:
        """Stop the agent (gracefully, then by force) and remove its files."""
        process, self._process = self._process, None
        if process is not None:
            process.stop()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def restart(self) -> None:
        """Stop the agent and start it again on the same HTTP (and HTTPS) port (a dev agent
        loses its data; its other ports are chosen afresh).

        Raises:
            AgentFailed: The agent exited (one of its ports stayed taken), or did not become
                ready in time.
        """
        self.stop()
        self.start()

    def __enter__(self) -> ConsulAgent:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
