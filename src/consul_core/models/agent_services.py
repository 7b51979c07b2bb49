"""Models of the local agent's services: what it lists, their local health, and the
registration a caller sends.

Rules:
- The parts an agent service shares with the catalog's (`Weights`, `ServiceAddress`,
  `ConnectProxyConfig`, `ServiceConnect`) and its checks (`HealthCheck`) are the catalog's models.
- A `ServiceRegistration` holds what the caller gave; the ``services`` builders validate it.
- An `AgentService` read from the agent registers back as it was (`to_registration`): the
  Go client's AgentService and AgentServiceRegistration differ (``Service`` is ``Name``, and
  the hash, indexes, datacenter and peer are only ever read), the fields neither knows pass
  through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from consul_core._codec import Model, field
from consul_core.models._shared import Indexed
from consul_core.models.agent_checks import CheckRegistration
from consul_core.models.catalog import (
    ConnectProxyConfig,
    HealthCheck,
    Locality,
    ServiceAddress,
    ServiceConnect,
    Weights,
)

__all__ = ["AgentService", "AggregatedStatus", "ServiceHealth", "ServiceRegistration"]

AggregatedStatus = Literal["passing", "warning", "critical", "maintenance"]


class AgentService(Indexed, frozen=True):
    """A service instance registered with the local agent.

    Attributes:
        id: The instance's ID.
        service: The service's name.
        kind: ``""`` for a typical service, else ``"connect-proxy"``, ``"mesh-gateway"``,
            ``"terminating-gateway"`` or ``"ingress-gateway"``.
        meta: Its metadata.
        address: Its address; empty means the node's.
        tagged_addresses: Other addresses by tag (``lan_ipv4``, ``wan_ipv4``, ...).
        weights: Its DNS SRV weights.
        enable_tag_override: Whether anti-entropy leaves tags changed in the catalog alone.
        proxy: Its proxy configuration (for ``connect-proxy`` services).
        connect: Its Connect settings.
        content_hash: The hash of its definition (``services.info`` only): pass the service as
            ``watch=`` to block until it changes.
        socket_path: The unix socket it listens on, instead of an address and port.
        locality: Where it runs, if it said (Consul >= 1.17).
        datacenter: The agent's datacenter (read only; Consul >= 1.11).
        peer_name: The cluster peer it was imported from (read only); empty for a local one.
        partition: Its admin partition (Consul Enterprise).
        create_index: Unused by the agent (0).
        modify_index: Unused by the agent (0).
    """

    id: str
    service: str = ""
    kind: str = ""
    tags: list[str] = []
    meta: dict[str, str] = {}
    port: int = 0
    address: str = ""
    tagged_addresses: dict[str, ServiceAddress] = {}
    weights: Weights = field(factory=Weights)
    enable_tag_override: bool = False
    proxy: ConnectProxyConfig = field(factory=ConnectProxyConfig)
    connect: ServiceConnect = field(factory=ServiceConnect)
    content_hash: str = ""
    socket_path: str = ""
    locality: Locality | None = None
    datacenter: str = ""
    peer_name: str = ""
    namespace: str = ""
    partition: str = ""

    def to_registration(self) -> ServiceRegistration:
        """A registration that registers this instance again as it is.

        ``Service`` becomes ``Name``; the content hash, the indexes and what the agent only
        reports (``datacenter``, ``peer_name``) are left out; the fields this version does not
        know are kept and sent. The instance's checks are not part of it (a registration
        without checks keeps the instance's checks).

        Returns:
            The registration, for `services.register`.
        """
        return ServiceRegistration(
            name=self.service,
            id=self.id,
            tags=self.tags,
            port=self.port,
            address=self.address,
            tagged_addresses=self.tagged_addresses,
            meta=self.meta,
            weights=self.weights,
            enable_tag_override=self.enable_tag_override,
            kind=self.kind,
            proxy=None if self.proxy == ConnectProxyConfig() else self.proxy,
            connect=None if self.connect == ServiceConnect() else self.connect,
            socket_path=self.socket_path,
            locality=self.locality,
            namespace=self.namespace,
            partition=self.partition,
            unknown_fields=self.unknown_fields,
        )


class ServiceHealth(Model, frozen=True):
    """A local service instance with its checks and their aggregated status.

    Attributes:
        aggregated_status: The worst status of its checks (``maintenance`` in maintenance).
        service: The instance.
        checks: Its checks.
    """

    aggregated_status: AggregatedStatus
    service: AgentService
    checks: list[HealthCheck] = []


class ServiceRegistration(Model, frozen=True):
    """A service instance to register with the agent.

    Attributes:
        name: The service's name.
        id: The instance's ID, unique on the node; defaults to `name`.
        address: Its address; empty means the node's.
        tagged_addresses: Other addresses by tag.
        meta: Its metadata.
        weights: Its DNS SRV weights (Consul's default: 1 passing, 1 warning).
        enable_tag_override: Let anti-entropy leave tags changed in the catalog alone.
        kind: The kind of service, for proxies and gateways.
        check: One check of the instance.
        checks: More checks of the instance.
        proxy: The proxy configuration of a ``connect-proxy`` (a model or Consul's mapping).
        connect: Connect settings: ``{"Native": true}`` or ``{"SidecarService": {...}}``.
        socket_path: The unix socket it listens on, instead of an address and port.
        locality: Where it runs (Consul >= 1.17).
        partition: Its admin partition (Consul Enterprise).
    """

    name: str
    id: str = ""
    tags: list[str] = []
    port: int = 0
    address: str = ""
    tagged_addresses: dict[str, ServiceAddress] = {}
    meta: dict[str, str] = {}
    weights: Weights | None = None
    enable_tag_override: bool = False
    kind: str = ""
    check: CheckRegistration | None = None
    checks: list[CheckRegistration] = []
    proxy: ConnectProxyConfig | Mapping[str, Any] | None = None
    connect: ServiceConnect | Mapping[str, Any] | None = None
    socket_path: str = ""
    locality: Locality | None = None
    namespace: str = ""
    partition: str = ""
