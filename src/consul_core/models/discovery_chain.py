"""Models of the compiled discovery chain (Consul 1.6+): ``/v1/discovery-chain/<service>``.

Rules:
- Shapes from the Consul HTTP API documentation, the Go client's ``api/discovery_chain.go``
  and Consul 1.8.7's replies. A chain's nodes and targets are keyed by opaque names, valid
  only within one compilation: walk them from `CompiledDiscoveryChain.start_node`.
- The parts that are config entries of their own (a router's route definition, a resolver's
  subset) stay maps in Consul's shape.
"""

from __future__ import annotations

from typing import Any

from consul_core._codec import Duration, Model, field
from consul_core.models.catalog import MeshGatewayConfig

__all__ = [
    "CompiledDiscoveryChain",
    "DiscoveryChainReply",
    "DiscoveryFailover",
    "DiscoveryGraphNode",
    "DiscoveryResolver",
    "DiscoveryRoute",
    "DiscoverySplit",
    "DiscoveryTarget",
]


class DiscoveryRoute(Model, frozen=True):
    """One route of a router node.

    Attributes:
        definition: The route, as the ``service-router`` entry defines it (``Match``,
            ``Destination``).
        next_node: The node the route leads to.
    """

    definition: dict[str, Any] = {}
    next_node: str = ""


class DiscoverySplit(Model, frozen=True):
    """One split of a splitter node.

    Attributes:
        weight: The share of traffic, in percent.
        next_node: The node the split leads to.
    """

    weight: float = 0.0
    next_node: str = ""


class DiscoveryFailover(Model, frozen=True):
    """Where a resolver fails over to.

    Attributes:
        targets: The targets to try, in order.
        policy: How to order them (``Mode``, ``Regions``), when set.
    """

    targets: list[str] = []
    policy: dict[str, Any] | None = None


class DiscoveryResolver(Model, frozen=True):
    """What a resolver node resolves to.

    Attributes:
        default: Whether no ``service-resolver`` entry defines it.
        connect_timeout: The timeout to connect to the target.
        target: The target it resolves to.
        failover: Where it fails over to, if anywhere.
    """

    default: bool = False
    connect_timeout: Duration | None = None
    target: str = ""
    failover: DiscoveryFailover | None = None


class DiscoveryGraphNode(Model, frozen=True):
    """One node of a discovery chain: a router, a splitter or a resolver.

    Attributes:
        type: ``"router"``, ``"splitter"`` or ``"resolver"``.
        name: The node's name (not necessarily a service's).
        routes: A router's routes, in order.
        splits: A splitter's splits.
        resolver: A resolver's resolution.
        load_balancer: A resolver's or splitter's load balancing policy, when set.
    """

    type: str = ""
    name: str = ""
    routes: list[DiscoveryRoute] = []
    splits: list[DiscoverySplit] = []
    resolver: DiscoveryResolver | None = None
    load_balancer: dict[str, Any] | None = None


class DiscoveryTarget(Model, frozen=True):
    """A catalog query that a resolver leads to: a service (subset) in a datacenter.

    Attributes:
        id: The target's name within the chain.
        service: The service.
        service_subset: The subset of its instances, if any.
        peer: The cluster peer it is imported from, if any.
        mesh_gateway: How to reach it through mesh gateways.
        subset: The subset's definition (``Filter``, ``OnlyPassing``).
        connect_timeout: The timeout to connect to it.
        external: Whether it is outside the mesh (a terminating gateway's service).
        sni: The TLS server name its proxies present.
        name: Its full name.
    """

    id: str = ""
    service: str = ""
    service_subset: str = ""
    namespace: str = ""
    partition: str = ""
    datacenter: str = ""
    peer: str = ""
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)
    subset: dict[str, Any] = {}
    connect_timeout: Duration | None = None
    external: bool = False
    sni: str = ""
    name: str = ""


class CompiledDiscoveryChain(Model, frozen=True):
    """A service's discovery chain, compiled from its config entries.

    Attributes:
        service_name: The service.
        namespace: Its namespace (``"default"`` without Enterprise).
        datacenter: The datacenter it was compiled for.
        customization_hash: A hash of the overrides that changed it, when any did.
        default: Whether no router, splitter or resolver entry shapes it.
        protocol: The protocol shared by the whole chain.
        service_meta: The metadata of the service's ``service-defaults`` entry.
        start_node: The node to start walking from.
        nodes: The nodes, by name.
        targets: The targets, by name.
    """

    service_name: str = ""
    namespace: str = ""
    partition: str = ""
    datacenter: str = ""
    customization_hash: str = ""
    default: bool = False
    protocol: str = ""
    service_meta: dict[str, str] = {}
    start_node: str = ""
    nodes: dict[str, DiscoveryGraphNode] = {}
    targets: dict[str, DiscoveryTarget] = {}


class DiscoveryChainReply(Model, frozen=True):
    """The body of ``/v1/discovery-chain/<service>`` (the builder returns its chain).

    Attributes:
        chain: The compiled chain.
    """

    chain: CompiledDiscoveryChain = field(factory=CompiledDiscoveryChain)
