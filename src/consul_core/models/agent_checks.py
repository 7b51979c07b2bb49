"""Models of the local agent's checks: the registration a caller sends.

The agent lists its checks in the catalog's shape, `consul_core.models.catalog.HealthCheck`.

Rules:
- A `CheckRegistration` holds what the caller gave; the ``checks`` and ``services`` builders
  validate it and format its durations (a Consul duration string, a `timedelta`, or seconds).
- Fields left at their default are not sent, so Consul applies its own defaults.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from consul_core._codec import Model, field

__all__ = ["CHECK_STATUSES", "CheckRegistration", "CheckStatus"]

CheckStatus = Literal["passing", "warning", "critical"]
CHECK_STATUSES: frozenset[str] = frozenset({"passing", "warning", "critical"})


class CheckRegistration(Model, frozen=True):
    """A check to register with the agent: a TTL, HTTP, TCP, gRPC, alias, Docker or script check.

    Attributes:
        name: The check's name.
        id: Its ID, unique on the node; defaults to `name`.
        notes: Human-readable notes.
        service_id: The service instance it belongs to; empty for a node check.
        status: Its initial status (Consul starts a check as critical).
        ttl: For a TTL check: how long a report stays valid.
        interval: How often Consul runs an HTTP, TCP, gRPC, Docker or script check.
        timeout: How long one run may take.
        deregister_critical_service_after: Deregister the service after it has been critical
            this long.
        http: The URL of an HTTP check.
        method: The HTTP method (default GET).
        header: HTTP headers, each name with its list of values.
        body: The HTTP request body.
        tls_skip_verify: Skip certificate verification for an HTTPS or gRPC-TLS check.
        tcp: The ``host:port`` of a TCP check.
        grpc: The ``host:port/service`` of a gRPC check.
        grpc_use_tls: Use TLS for the gRPC check.
        alias_node: The node an alias check mirrors.
        alias_service: The service an alias check mirrors.
        docker_container_id: The container of a Docker check.
        shell: The shell of a Docker check.
        args: The command of a script or Docker check.
        success_before_passing: Consecutive successes needed to turn passing.
        failures_before_critical: Consecutive failures needed to turn critical.
        output_max_size: The most output bytes kept.
    """

    name: str
    id: str = ""
    notes: str = ""
    service_id: str = ""
    status: CheckStatus | None = None
    ttl: str | timedelta | float | None = None
    interval: str | timedelta | float | None = None
    timeout: str | timedelta | float | None = None
    deregister_critical_service_after: str | timedelta | float | None = None
    http: str = ""
    method: str = ""
    header: dict[str, list[str]] = {}
    body: str = ""
    tls_skip_verify: bool = False
    tcp: str = ""
    grpc: str = ""
    grpc_use_tls: bool = False
    alias_node: str = ""
    alias_service: str = ""
    docker_container_id: str = ""
    shell: str = ""
    args: list[str] = field(json="ScriptArgs", factory=list)
    success_before_passing: int = 0
    failures_before_critical: int = 0
    output_max_size: int = 0
    namespace: str = ""
