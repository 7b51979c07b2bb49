"""Models of config entries: ``/v1/config``.

Config entries are polymorphic by ``Kind``. Every kind the current Consul docs define has a model
(`CONFIG_ENTRY_KINDS`): ``service-defaults`` and ``proxy-defaults`` here, the discovery chain's in
`consul_core.models.config_chain`, the gateways' in `consul_core.models.config_gateways`, the
mesh-wide ones in `consul_core.models.config_mesh`; all of them are importable from this module
too. An entry of another kind (a newer Consul's, ``bound-api-gateway``) decodes to the generic
`ConfigEntry`, which keeps the kind, the name and the indexes as attributes and the rest of the
entry as Consul's JSON mapping.

Rules:
- Every typed entry derives from `ConfigEntryBase` (name, partition, namespace, meta, indexes)
  and has a ``kind`` that only its kind's value fits: decoding another kind into it fails.
- Encoding (`encode_entry`) always sends ``Kind`` and ``Name``, except the ``mesh`` entry's name,
  which Consul refuses in the body (its name is always ``mesh``); nothing a model kept without
  knowing it is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import msgspec

from consul_core._codec import DecodeError, Model, field, from_json, to_json
from consul_core.models._shared import Indexed
from consul_core.models.catalog import ExposeConfig, MeshGatewayConfig
from consul_core.models.config_chain import (
    ServiceResolver,
    ServiceResolverFailoverPolicy,
    ServiceResolverPrioritizeByLocality,
    ServiceRouter,
    ServiceSplitter,
)
from consul_core.models.config_common import (
    ConfigEntryBase,
    DestinationConfig,
    EnvoyExtension,
    PassiveHealthCheck,
    PathMatch,
    TransparentProxyConfig,
    UpstreamLimits,
)
from consul_core.models.config_gateways import (
    APIGateway,
    FileSystemCertificate,
    HTTPRoute,
    IngressGateway,
    InlineCertificate,
    TCPRoute,
    TerminatingGateway,
)
from consul_core.models.config_mesh import (
    ControlPlaneRequestLimit,
    ExportedServices,
    JWTProvider,
    Mesh,
    SamenessGroup,
    ServiceIntentions,
)

__all__ = [
    "CONFIG_ENTRY_KINDS",
    "APIGateway",
    "AccessLogsConfig",
    "AnyConfigEntry",
    "ConfigEntry",
    "ConfigEntryBase",
    "ControlPlaneRequestLimit",
    "ExportedServices",
    "FileSystemCertificate",
    "HTTPRoute",
    "IngressGateway",
    "InlineCertificate",
    "InstanceLevelRateLimits",
    "InstanceLevelRouteRateLimits",
    "JWTProvider",
    "Mesh",
    "ProxyDefaults",
    "RateLimits",
    "SamenessGroup",
    "ServiceDefaults",
    "ServiceIntentions",
    "ServiceResolver",
    "ServiceRouter",
    "ServiceSplitter",
    "TCPRoute",
    "TerminatingGateway",
    "TypedConfigEntry",
    "UpstreamConfig",
    "UpstreamConfiguration",
    "decode_entry",
    "encode_entry",
]


class UpstreamConfig(Model, frozen=True):
    """Proxy settings towards an upstream (in a service-defaults entry).

    Attributes:
        name: The upstream service (in ``overrides`` only).
        partition: (Enterprise) Its admin partition (in ``overrides`` only).
        namespace: (Enterprise) Its namespace (in ``overrides`` only).
        peer: The cluster peer it lives in (in ``overrides`` only).
        envoy_listener_json: A complete Envoy listener to use instead (an escape hatch).
        envoy_cluster_json: A complete Envoy cluster to use instead (an escape hatch).
        protocol: The upstream's protocol.
        connect_timeout_ms: The timeout of a new connection, in milliseconds.
        limits: Connection limits.
        passive_health_check: How unhealthy instances are ejected.
        mesh_gateway: How the upstream is reached across datacenters.
        balance_outbound_connections: ``"exact_balance"`` to spread connections over threads.
    """

    name: str = ""
    partition: str = ""
    namespace: str = ""
    peer: str = ""
    envoy_listener_json: str = field(json="EnvoyListenerJSON", default="")
    envoy_cluster_json: str = field(json="EnvoyClusterJSON", default="")
    protocol: str = ""
    connect_timeout_ms: int = 0
    limits: UpstreamLimits | None = None
    passive_health_check: PassiveHealthCheck | None = None
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)
    balance_outbound_connections: str = ""


class UpstreamConfiguration(Model, frozen=True):
    """Proxy settings towards a service's upstreams.

    Attributes:
        overrides: Settings of named upstreams.
        defaults: Settings of every other upstream.
    """

    overrides: list[UpstreamConfig] = []
    defaults: UpstreamConfig | None = None


class InstanceLevelRouteRateLimits(PathMatch, frozen=True):
    """A rate limit of one route of a service instance.

    Attributes:
        requests_per_second: The sustained rate.
        requests_max_burst: The largest burst.
    """

    requests_per_second: int = 0
    requests_max_burst: int = 0


class InstanceLevelRateLimits(Model, frozen=True):
    """The rate limits of each instance of a service.

    Attributes:
        requests_per_second: The sustained rate.
        requests_max_burst: The largest burst (default the rate).
        routes: Limits of routes, the first that matches a request applying.
    """

    requests_per_second: int = 0
    requests_max_burst: int = 0
    routes: list[InstanceLevelRouteRateLimits] = []


class RateLimits(Model, frozen=True):
    """(Enterprise) The rate limits of a service's inbound traffic.

    Attributes:
        instance_level: The limits of each instance.
    """

    instance_level: InstanceLevelRateLimits = field(factory=InstanceLevelRateLimits)


class AccessLogsConfig(Model, frozen=True):
    """The access logs of every proxy.

    Attributes:
        enabled: Whether proxies log accesses.
        disable_listener_logs: Leave out the connections no listener takes.
        type: ``"file"``, ``"stderr"`` or ``"stdout"``.
        path: The file, for ``file``.
        json_format: A JSON format of the lines.
        text_format: A text format of the lines.
    """

    enabled: bool = False
    disable_listener_logs: bool = False
    type: str = ""
    path: str = ""
    json_format: str = field(json="JSONFormat", default="")
    text_format: str = ""


class ServiceDefaults(ConfigEntryBase, frozen=True):
    """A ``service-defaults`` entry: defaults for every instance of one service.

    Attributes:
        kind: Always ``"service-defaults"``.
        protocol: The service's protocol (``"tcp"``, ``"http"``, ``"http2"``, ``"grpc"``).
        mode: The proxies' mode: ``"transparent"``, ``"direct"`` or empty (inherited).
        transparent_proxy: Settings of transparent proxies.
        mutual_tls_mode: ``"strict"``, ``"permissive"`` or empty (inherited).
        mesh_gateway: How the service's proxies reach other datacenters.
        expose: What the service's proxies expose without mTLS.
        external_sni: The SNI a terminating gateway uses for this external service.
        upstream_config: Settings of the service's upstreams.
        destination: The address of a service outside the mesh.
        max_inbound_connections: The most inbound connections to an instance.
        local_connect_timeout_ms: The timeout of the proxy's connections to its instance.
        local_request_timeout_ms: The timeout of requests to its instance.
        balance_inbound_connections: ``"exact_balance"`` to spread connections over threads.
        rate_limits: (Enterprise) Rate limits of inbound traffic.
        envoy_extensions: Extensions that patch the proxies.
    """

    kind: Literal["service-defaults"] = "service-defaults"
    protocol: str = ""
    mode: str = ""
    transparent_proxy: TransparentProxyConfig | None = None
    mutual_tls_mode: str = ""
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)
    expose: ExposeConfig = field(factory=ExposeConfig)
    external_sni: str = ""
    upstream_config: UpstreamConfiguration | None = None
    destination: DestinationConfig | None = None
    max_inbound_connections: int = 0
    local_connect_timeout_ms: int = 0
    local_request_timeout_ms: int = 0
    balance_inbound_connections: str = ""
    rate_limits: RateLimits | None = None
    envoy_extensions: list[EnvoyExtension] = []


class ProxyDefaults(ConfigEntryBase, frozen=True):
    """The ``proxy-defaults`` entry: defaults for every proxy (its name is always ``global``).

    Attributes:
        kind: Always ``"proxy-defaults"``.
        mode: The proxies' mode: ``"transparent"``, ``"direct"`` or empty.
        transparent_proxy: Settings of transparent proxies.
        mutual_tls_mode: ``"strict"``, ``"permissive"`` or empty.
        config: Free-form proxy configuration (``{"protocol": "http", ...}``), JSON values.
        mesh_gateway: How proxies reach other datacenters.
        expose: What proxies expose without mTLS.
        access_logs: The proxies' access logs.
        envoy_extensions: Extensions that patch the proxies.
        failover_policy: How failover targets are ordered.
        prioritize_by_locality: Whether instances in the proxy's locality come first.
    """

    name: str = "global"
    kind: Literal["proxy-defaults"] = "proxy-defaults"
    mode: str = ""
    transparent_proxy: TransparentProxyConfig | None = None
    mutual_tls_mode: str = ""
    config: dict[str, Any] = {}
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)
    expose: ExposeConfig = field(factory=ExposeConfig)
    access_logs: AccessLogsConfig | None = None
    envoy_extensions: list[EnvoyExtension] = []
    failover_policy: ServiceResolverFailoverPolicy | None = None
    prioritize_by_locality: ServiceResolverPrioritizeByLocality | None = None


class ConfigEntry(msgspec.Struct, frozen=True):
    """A config entry of a kind without a typed model (a newer Consul's).

    Attributes:
        kind: The entry's kind.
        name: Its name.
        settings: Every other field, in Consul's JSON shape (``{"Listeners": [...]}``).
        modify_index: The index of its last change: pass the entry as ``cas=``.
    """

    kind: str
    name: str
    settings: dict[str, Any] = {}
    create_index: int = 0
    modify_index: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConfigEntry:
        """Decode Consul's JSON object, keeping the fields without an attribute as settings.

        Raises:
            DecodeError: `data` is not an object, or an attribute's value has the wrong type.
        """
        try:
            head = from_json(ConfigEntryHead, data)
        except DecodeError as error:
            raise DecodeError(error.problem, error.path, cls.__name__) from None
        return cls(
            head.kind,
            head.name,
            dict(head.unknown_fields),
            head.create_index,
            head.modify_index,
        )


class ConfigEntryHead(Indexed, frozen=True):
    """What a `ConfigEntry` keeps as attributes; the rest of the entry is its settings."""

    kind: str
    name: str = ""


TypedConfigEntry: TypeAlias = (
    ServiceDefaults
    | ProxyDefaults
    | ServiceRouter
    | ServiceSplitter
    | ServiceResolver
    | IngressGateway
    | TerminatingGateway
    | ServiceIntentions
    | Mesh
    | ExportedServices
    | SamenessGroup
    | JWTProvider
    | ControlPlaneRequestLimit
    | APIGateway
    | HTTPRoute
    | TCPRoute
    | InlineCertificate
    | FileSystemCertificate
)
"""A config entry of a kind with a model."""

AnyConfigEntry: TypeAlias = TypedConfigEntry | ConfigEntry
"""A config entry of any kind."""

CONFIG_ENTRY_KINDS: Mapping[str, type[TypedConfigEntry]] = {
    "service-defaults": ServiceDefaults,
    "proxy-defaults": ProxyDefaults,
    "service-router": ServiceRouter,
    "service-splitter": ServiceSplitter,
    "service-resolver": ServiceResolver,
    "ingress-gateway": IngressGateway,
    "terminating-gateway": TerminatingGateway,
    "service-intentions": ServiceIntentions,
    "mesh": Mesh,
    "exported-services": ExportedServices,
    "sameness-group": SamenessGroup,
    "jwt-provider": JWTProvider,
    "control-plane-request-limit": ControlPlaneRequestLimit,
    "api-gateway": APIGateway,
    "http-route": HTTPRoute,
    "tcp-route": TCPRoute,
    "inline-certificate": InlineCertificate,
    "file-system-certificate": FileSystemCertificate,
}
"""The model of each kind the current Consul docs define, by kind."""

# Kinds whose JSON has no Name: Consul refuses one in the body (an unknown config key).
_NAMELESS = frozenset({"mesh"})


def decode_entry(data: Any) -> AnyConfigEntry:
    """Decode one entry of any kind into its model.

    Raises:
        DecodeError: `data` is not a config entry object.
    """
    entry = ConfigEntry.from_json(data)
    typed = CONFIG_ENTRY_KINDS.get(entry.kind)
    return from_json(typed, data) if typed else entry


def encode_entry(entry: ConfigEntryBase | ConfigEntry) -> dict[str, Any]:
    """Encode an entry into Consul's JSON shape, ``Kind`` and ``Name`` included (but the
    ``mesh`` entry's name).
    """
    body: dict[str, Any]
    if isinstance(entry, ConfigEntry):
        body = {**entry.settings, "Kind": entry.kind, "Name": entry.name}
    else:
        body = {**to_json(entry), "Kind": entry.kind, "Name": entry.name}
    if entry.kind in _NAMELESS:
        body.pop("Name")
    return body
