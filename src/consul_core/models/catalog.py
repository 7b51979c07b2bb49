"""Models of the catalog: nodes, the services they provide, and the checks of both.

Rules:
- `Node`, `NodeService` and `HealthCheck` are the catalog's entities; the health endpoints return
  the same shapes (`consul_core.models.health` re-exports `HealthCheck`).
- Every field defaults to its Go zero value, so a model built by hand is a registration that
  `_codec.to_json` encodes without the fields left unset.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from consul_core._codec import Duration, Model, field
from consul_core.models._shared import Indexed

__all__ = [
    "CatalogDeregistration",
    "CatalogRegistration",
    "CatalogService",
    "CompoundServiceName",
    "ConnectProxyConfig",
    "ExposeConfig",
    "ExposePath",
    "GatewayService",
    "HealthCheck",
    "HealthCheckDefinition",
    "Locality",
    "MeshGatewayConfig",
    "Node",
    "NodeService",
    "NodeServiceList",
    "NodeServices",
    "PeeringServiceMeta",
    "ServiceAddress",
    "ServiceConnect",
    "Upstream",
    "Weights",
]


class Locality(Model, frozen=True):
    """Where a node, a service instance or a peer cluster runs (Consul >= 1.17).

    Attributes:
        region: The region.
        zone: The zone within the region.
    """

    region: str = ""
    zone: str = ""


class Node(Indexed, frozen=True):
    """A node of the catalog.

    Attributes:
        id: Its UUID (empty for an external node registered without one).
        address: Its address.
        tagged_addresses: Other addresses by tag (``lan``, ``wan``, ``lan_ipv4``, ...).
        meta: Its metadata.
        partition: Its admin partition (Consul Enterprise).
        peer_name: The cluster peer it was imported from; empty for a local node.
        locality: Where it runs, if it said (Consul >= 1.17).
    """

    node: str
    id: str = ""
    address: str = ""
    datacenter: str = ""
    tagged_addresses: dict[str, str] = {}
    meta: dict[str, str] = {}
    partition: str = ""
    peer_name: str = ""
    locality: Locality | None = None


class Weights(Model, frozen=True):
    """DNS SRV weights of a service instance by its health."""

    passing: int = 1
    warning: int = 1


class ServiceAddress(Model, frozen=True):
    """An address and port of a service instance (the values of its tagged addresses)."""

    address: str = ""
    port: int = 0


class MeshGatewayConfig(Model, frozen=True):
    """How a proxy or upstream reaches other datacenters.

    Attributes:
        mode: ``""`` (the default), ``"none"``, ``"local"`` or ``"remote"``.
    """

    mode: str = ""


class ExposePath(Model, frozen=True):
    """One HTTP path a proxy exposes without mTLS."""

    listener_port: int = 0
    path: str = ""
    local_path_port: int = 0
    protocol: str = ""
    parsed_from_check: bool = False


class ExposeConfig(Model, frozen=True):
    """What a proxy exposes without mTLS: ``checks`` exposes the service's HTTP/gRPC checks."""

    checks: bool = False
    paths: list[ExposePath] = []


class Upstream(Model, frozen=True):
    """An upstream of a Connect proxy.

    Attributes:
        destination_name: The service or prepared query to reach.
        destination_type: ``"service"`` (the default when empty) or ``"prepared_query"``.
        destination_namespace: The Enterprise namespace of the destination.
        datacenter: The destination's datacenter, when not the local one.
        local_bind_address: The local address the proxy listens on for it.
        local_bind_port: The local port the proxy listens on for it.
        config: Opaque proxy-specific configuration.
        mesh_gateway: How the upstream is reached across datacenters.
    """

    destination_name: str = ""
    destination_type: str = ""
    destination_namespace: str = ""
    datacenter: str = ""
    local_bind_address: str = ""
    local_bind_port: int = 0
    config: dict[str, Any] = {}
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)


class ConnectProxyConfig(Model, frozen=True):
    """The proxy configuration of a ``connect-proxy`` service (all empty for other kinds).

    Attributes:
        destination_service_name: The service this proxy represents.
        destination_service_id: The instance this proxy represents, for a sidecar.
        local_service_address: Where the proxy reaches the local instance.
        local_service_port: The port of the local instance.
        config: Opaque proxy-specific configuration.
        upstreams: The upstreams the proxy offers locally.
        mesh_gateway: How the proxy reaches other datacenters.
        expose: What the proxy exposes without mTLS.
    """

    destination_service_name: str = ""
    destination_service_id: str = ""
    local_service_address: str = ""
    local_service_port: int = 0
    config: dict[str, Any] = {}
    upstreams: list[Upstream] = []
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)
    expose: ExposeConfig = field(factory=ExposeConfig)


class PeeringServiceMeta(Model, frozen=True):
    """What a cluster peer says of a service it exports (read-only).

    Attributes:
        sni: The SNI names to reach it by.
        spiffe_id: Its SPIFFE IDs.
        protocol: Its protocol.
    """

    sni: list[str] = field(json="SNI", default=[])
    spiffe_id: list[str] = []
    protocol: str = ""


class ServiceConnect(Model, frozen=True):
    """The Connect settings of a service.

    Attributes:
        native: Whether the service is Connect-native.
        peer_meta: For a service imported from a cluster peer, what the peer says of it.
    """

    native: bool = False
    peer_meta: PeeringServiceMeta | None = None


class NodeService(Indexed, frozen=True):
    """A service instance registered on a node.

    Attributes:
        service: The service's name.
        id: The instance's ID (unique on its node).
        kind: ``""`` for a typical service, else ``"connect-proxy"``, ``"mesh-gateway"``,
            ``"terminating-gateway"`` or ``"ingress-gateway"``.
        address: Its address; empty means the node's.
        tagged_addresses: Other addresses by tag.
        meta: Its metadata.
        weights: Its DNS SRV weights.
        enable_tag_override: Whether anti-entropy leaves tags changed in the catalog alone.
        proxy: Its proxy configuration (for ``connect-proxy`` services).
        connect: Its Connect settings.
        socket_path: The unix socket it listens on, instead of an address and port.
        locality: Where it runs, if it said (Consul >= 1.17).
        peer_name: The cluster peer it was imported from; empty for a local instance.
        partition: Its admin partition (Consul Enterprise).
    """

    service: str = ""
    id: str = ""
    kind: str = ""
    tags: list[str] = []
    address: str = ""
    tagged_addresses: dict[str, ServiceAddress] = {}
    meta: dict[str, str] = {}
    port: int = 0
    socket_path: str = ""
    weights: Weights = field(factory=Weights)
    enable_tag_override: bool = False
    locality: Locality | None = None
    proxy: ConnectProxyConfig = field(factory=ConnectProxyConfig)
    connect: ServiceConnect = field(factory=ServiceConnect)
    peer_name: str = ""
    namespace: str = ""
    partition: str = ""


class HealthCheckDefinition(Model, frozen=True):
    """How a check registered through the catalog is run (informational: agents run checks).

    Attributes:
        http: The URL of an HTTP check.
        header: Headers of an HTTP check.
        method: The method of an HTTP check.
        body: The body an HTTP check sends.
        tls_server_name: The server name a check over TLS asks for (a newer Consul's).
        tls_skip_verify: Whether an HTTPS check skips certificate verification.
        tcp: The ``host:port`` of a TCP check.
        tcp_use_tls: Whether a TCP check speaks TLS (a newer Consul's).
        udp: The ``host:port`` of a UDP check (a newer Consul's).
        grpc: The ``host:port[/service]`` of a gRPC check (a newer Consul's).
        grpc_use_tls: Whether a gRPC check speaks TLS (a newer Consul's).
        os_service: The Windows service an OS-service check watches (a newer Consul's).
        session_name: The session a session check follows (a newer Consul's).
        interval: How often it runs.
        timeout: How long a run may take.
        deregister_critical_service_after: When a critical service is deregistered.
    """

    http: str = ""
    header: dict[str, list[str]] = {}
    method: str = ""
    body: str = ""
    tls_server_name: str = ""
    tls_skip_verify: bool = False
    tcp: str = ""
    tcp_use_tls: bool = False
    udp: str = ""
    grpc: str = ""
    grpc_use_tls: bool = False
    os_service: str = field(json="OSService", default="")
    session_name: str = ""
    interval: Duration = timedelta(0)
    timeout: Duration = timedelta(0)
    deregister_critical_service_after: Duration = timedelta(0)


class HealthCheck(Indexed, frozen=True):
    """A health check of a node or of a service instance.

    Attributes:
        node: The node it belongs to.
        check_id: Its ID (unique on its node).
        name: Its name.
        status: ``"passing"``, ``"warning"`` or ``"critical"`` (a new check is critical).
        notes: Human-readable notes.
        output: The output of its last run.
        service_id: The service instance it checks; empty for a node check.
        service_name: That instance's service name.
        service_tags: That instance's tags.
        type: The kind of check (``"http"``, ``"ttl"``, ...; empty for catalog-only checks).
        interval: How often it runs, as Consul writes it (``"10s"``; empty when it is not run
            on an interval).
        timeout: How long a run may take, as Consul writes it.
        exposed_port: The port of the Envoy listener that exposes an HTTP or gRPC check.
        peer_name: The cluster peer it was imported from; empty for a local check.
        definition: How it is run.
        partition: Its admin partition (Consul Enterprise).
    """

    node: str = ""
    check_id: str = ""
    name: str = ""
    status: str = ""
    notes: str = ""
    output: str = ""
    service_id: str = ""
    service_name: str = ""
    service_tags: list[str] = []
    type: str = ""
    interval: str = ""
    timeout: str = ""
    exposed_port: int = 0
    peer_name: str = ""
    definition: HealthCheckDefinition = field(factory=HealthCheckDefinition)
    namespace: str = ""
    partition: str = ""


class CatalogService(Indexed, frozen=True):
    """One instance of a service as the catalog lists it: its node's fields and its own.

    Attributes:
        id: The node's UUID.
        address: The node's address.
        datacenter: The datacenter.
        tagged_addresses: The node's tagged addresses.
        node_meta: The node's metadata.
        service_kind: The kind of service (see `NodeService.kind`).
        service_id: The instance's ID.
        service_name: The service's name.
        service_tags: The instance's tags.
        service_address: The instance's address; empty means the node's.
        service_tagged_addresses: The instance's tagged addresses.
        service_weights: The instance's DNS SRV weights.
        service_meta: The instance's metadata.
        service_port: The instance's port.
        service_enable_tag_override: See `NodeService.enable_tag_override`.
        service_proxy: The instance's proxy configuration.
        service_connect: The instance's Connect settings.
        service_socket_path: The unix socket the instance listens on.
        service_locality: Where the instance runs, if it said (Consul >= 1.17).
        peer_name: The cluster peer the instance was imported from; empty for a local one.
        partition: The instance's admin partition (Consul Enterprise).
        create_index: The index that created the instance.
    """

    node: str
    service_name: str
    service_id: str = ""
    id: str = ""
    address: str = ""
    datacenter: str = ""
    tagged_addresses: dict[str, str] = {}
    node_meta: dict[str, str] = {}
    service_kind: str = ""
    service_tags: list[str] = []
    service_address: str = ""
    service_tagged_addresses: dict[str, ServiceAddress] = {}
    service_weights: Weights = field(factory=Weights)
    service_meta: dict[str, str] = {}
    service_port: int = 0
    service_enable_tag_override: bool = False
    service_proxy: ConnectProxyConfig = field(factory=ConnectProxyConfig)
    service_connect: ServiceConnect = field(factory=ServiceConnect)
    service_socket_path: str = ""
    service_locality: Locality | None = None
    peer_name: str = ""
    namespace: str = ""
    partition: str = ""


class NodeServices(Model, frozen=True):
    """A node and its services by instance ID (``GET /v1/catalog/node/:node``)."""

    node: Node
    services: dict[str, NodeService] = {}


class NodeServiceList(Model, frozen=True):
    """A node and the list of its services (``GET /v1/catalog/node-services/:node``)."""

    node: Node
    services: list[NodeService] = []


class CompoundServiceName(Model, frozen=True):
    """A service name with its Enterprise namespace."""

    name: str
    namespace: str = ""


class GatewayService(Indexed, frozen=True):
    """A service linked to a terminating or ingress gateway by its config entry.

    Attributes:
        gateway: The gateway.
        service: The linked service (``*`` for a wildcard entry).
        gateway_kind: ``"terminating-gateway"`` or ``"ingress-gateway"``.
        port: The ingress listener's port.
        protocol: The ingress listener's protocol.
        hosts: The hosts an ingress gateway routes to the service.
        ca_file: The CA a terminating gateway uses to verify the service.
        cert_file: The client certificate a terminating gateway presents.
        key_file: The key of that certificate.
        sni: The SNI a terminating gateway sends.
        from_wildcard: Whether the link comes from a wildcard entry.
        create_index: The index that created the link.
    """

    gateway: CompoundServiceName
    service: CompoundServiceName
    gateway_kind: str = ""
    port: int = 0
    protocol: str = ""
    hosts: list[str] = []
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    sni: str = ""
    from_wildcard: bool = False


class CatalogRegistration(Model, frozen=True):
    """A registration for ``PUT /v1/catalog/register``: a node, and optionally a service
    instance and checks on it.

    Attributes:
        address: The node's address; required unless `skip_node_update`.
        id: The node's UUID.
        datacenter: The datacenter; default the agent's.
        tagged_addresses: The node's tagged addresses.
        node_meta: The node's metadata.
        service: A service instance to register on the node.
        check: A check to register on the node.
        checks: More checks to register on the node.
        skip_node_update: Leave an existing node's address and metadata as they are.
    """

    node: str
    address: str = ""
    id: str = ""
    datacenter: str = ""
    tagged_addresses: dict[str, str] = {}
    node_meta: dict[str, str] = {}
    service: NodeService | None = None
    check: HealthCheck | None = None
    checks: list[HealthCheck] = []
    skip_node_update: bool = False


class CatalogDeregistration(Model, frozen=True):
    """A deregistration for ``PUT /v1/catalog/deregister``: the whole node, or one of its
    service instances (`service_id`), or one of its checks (`check_id`).

    Attributes:
        datacenter: The datacenter; default the agent's.
        service_id: Deregister only this service instance (and its checks).
        check_id: Deregister only this check.
        namespace: The Enterprise namespace of the service or check.
    """

    node: str
    datacenter: str = ""
    service_id: str = ""
    check_id: str = ""
    namespace: str = ""
