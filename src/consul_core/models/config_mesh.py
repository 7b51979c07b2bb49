"""Models of the config entries that govern the mesh as a whole: ``service-intentions``
(Consul 1.9+), ``mesh`` (1.10+), ``exported-services`` (1.11+), ``sameness-group`` (1.16+,
Enterprise), ``jwt-provider`` (1.16+) and ``control-plane-request-limit`` (1.17+, Enterprise).

The rules of `consul_core.models.config_common` apply (Go's shapes, optional pointers, durations).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from consul_core._codec import Model, NanoDuration, Timestamp, field
from consul_core.models._shared import TLSParameters
from consul_core.models.config_common import ConfigEntryBase
from consul_core.models.connect import IntentionJWTRequirement, IntentionPermission

__all__ = [
    "ControlPlaneRequestLimit",
    "ExportedService",
    "ExportedServices",
    "JSONWebKeySet",
    "JWKSCluster",
    "JWKSRetryPolicy",
    "JWKSTLSCertProviderInstance",
    "JWKSTLSCertTrustedCA",
    "JWKSTLSCertificate",
    "JWTCacheConfig",
    "JWTForwardingConfig",
    "JWTLocation",
    "JWTLocationCookie",
    "JWTLocationHeader",
    "JWTLocationQueryParam",
    "JWTProvider",
    "LocalJWKS",
    "Mesh",
    "MeshDirectionalTLSConfig",
    "MeshHTTPConfig",
    "MeshTLSConfig",
    "PeeringMeshConfig",
    "ReadWriteRatesConfig",
    "RemoteJWKS",
    "RetryPolicyBackOff",
    "SamenessGroup",
    "SamenessGroupMember",
    "ServiceConsumer",
    "ServiceIntentions",
    "SourceIntention",
    "TransparentProxyMeshConfig",
]


class SourceIntention(Model, frozen=True):
    """One source of a service-intentions entry: who may (or may not) reach the service.

    Attributes:
        name: The source service (``"*"``: any).
        sameness_group: (Enterprise) Its sameness group.
        action: ``"allow"`` or ``"deny"`` (L4); empty when `permissions` decide.
        permissions: The L7 permissions, in order: the first that matches a request decides.
        precedence: Its evaluation order (computed by Consul).
        type: The kind of source; only ``"consul"`` exists.
        description: A free-form description.
        legacy_id: The ID of the intention it was migrated from (Consul 1.8's API).
        legacy_meta: The metadata of that intention.
        legacy_create_time: When that intention was created.
        legacy_update_time: When that intention was last changed.
    """

    name: str = ""
    peer: str = ""
    partition: str = ""
    namespace: str = ""
    sameness_group: str = ""
    action: str = ""
    permissions: list[IntentionPermission] = []
    precedence: int = 0
    type: str = ""
    description: str = ""
    legacy_id: str = ""
    legacy_meta: dict[str, str] = {}
    legacy_create_time: Timestamp | None = None
    legacy_update_time: Timestamp | None = None


class ServiceIntentions(ConfigEntryBase, frozen=True):
    """A ``service-intentions`` entry: every intention whose destination is the named service
    (Consul 1.9+; the intentions endpoints read and write the same).

    Attributes:
        kind: Always ``"service-intentions"``.
        sources: The sources, each with its action or permissions.
        jwt: The JWTs every request to the service must carry (Consul 1.16+).
    """

    kind: Literal["service-intentions"] = "service-intentions"
    sources: list[SourceIntention] = []
    jwt: IntentionJWTRequirement | None = None


class TransparentProxyMeshConfig(Model, frozen=True):
    """Mesh-wide settings of transparent proxies.

    Attributes:
        mesh_destinations_only: Keep proxies from reaching destinations outside the mesh.
    """

    mesh_destinations_only: bool = False


class MeshDirectionalTLSConfig(TLSParameters, frozen=True):
    """TLS settings of the mesh's proxies in one direction."""


class MeshTLSConfig(Model, frozen=True):
    """TLS settings of the mesh's proxies.

    Attributes:
        incoming: For the connections they accept.
        outgoing: For the connections they make.
    """

    incoming: MeshDirectionalTLSConfig | None = None
    outgoing: MeshDirectionalTLSConfig | None = None


class MeshHTTPConfig(Model, frozen=True):
    """HTTP settings of the mesh's proxies.

    Attributes:
        sanitize_x_forwarded_client_cert: Strip the ``X-Forwarded-Client-Cert`` header.
    """

    sanitize_x_forwarded_client_cert: bool = False


class PeeringMeshConfig(Model, frozen=True):
    """Peering settings of the mesh.

    Attributes:
        peer_through_mesh_gateways: Send peering control traffic through mesh gateways.
    """

    peer_through_mesh_gateways: bool = False


class Mesh(ConfigEntryBase, frozen=True):
    """The ``mesh`` entry: settings of the whole service mesh (its name is always ``mesh``,
    which Consul does not take in the body: `encode_entry` leaves it out).

    Attributes:
        kind: Always ``"mesh"``.
        transparent_proxy: Settings of transparent proxies.
        allow_enabling_permissive_mutual_tls: Let services accept non-mTLS traffic
            (``MutualTLSMode = "permissive"``).
        tls: TLS settings of the proxies.
        http: HTTP settings of the proxies.
        peering: Peering settings.
    """

    name: str = "mesh"
    kind: Literal["mesh"] = "mesh"
    transparent_proxy: TransparentProxyMeshConfig = field(factory=TransparentProxyMeshConfig)
    allow_enabling_permissive_mutual_tls: bool = False
    tls: MeshTLSConfig | None = None
    http: MeshHTTPConfig | None = None
    peering: PeeringMeshConfig | None = None


class ServiceConsumer(Model, frozen=True):
    """Who an exported service is exported to (one of these).

    Attributes:
        partition: (Enterprise) An admin partition.
        peer: A cluster peer.
        sameness_group: (Enterprise) A sameness group.
    """

    partition: str = ""
    peer: str = ""
    sameness_group: str = ""


class ExportedService(Model, frozen=True):
    """A service made available to other partitions or peers.

    Attributes:
        name: The service (``"*"``: every service of the namespace).
        consumers: Who it is exported to.
    """

    name: str = ""
    namespace: str = ""
    consumers: list[ServiceConsumer] = []


class ExportedServices(ConfigEntryBase, frozen=True):
    """An ``exported-services`` entry: the services a partition exports (its name is the
    partition's, ``default`` outside Enterprise).

    Attributes:
        kind: Always ``"exported-services"``.
        services: The exported services.
    """

    name: str = "default"
    kind: Literal["exported-services"] = "exported-services"
    services: list[ExportedService] = []


class SamenessGroupMember(Model, frozen=True):
    """A member of a sameness group (one of these).

    Attributes:
        partition: An admin partition of this cluster.
        peer: A cluster peer.
    """

    partition: str = ""
    peer: str = ""


class SamenessGroup(ConfigEntryBase, frozen=True):
    """A ``sameness-group`` entry (Enterprise): partitions and peers whose services of the same
    name are the same service.

    Attributes:
        kind: Always ``"sameness-group"``.
        default_for_failover: Fail over within the group unless a resolver says otherwise.
        include_local: Count the local partition as the group's first member.
        members: The members, in failover order.
    """

    kind: Literal["sameness-group"] = "sameness-group"
    default_for_failover: bool = False
    include_local: bool = False
    members: list[SamenessGroupMember] = []


class LocalJWKS(Model, frozen=True):
    """A JSON Web Key Set on hand (one of these).

    Attributes:
        jwks: The key set, base64-encoded.
        filename: The path of a file holding it, on every proxy's host.
    """

    jwks: str = field(json="JWKS", default="")
    filename: str = ""


class RetryPolicyBackOff(Model, frozen=True):
    """The backoff between retries of fetching a key set.

    Attributes:
        base_interval: The first interval (Envoy's default: 1s).
        max_interval: The greatest interval (default ten times the first).
    """

    base_interval: NanoDuration = timedelta(0)
    max_interval: NanoDuration = timedelta(0)


class JWKSRetryPolicy(Model, frozen=True):
    """How fetching a key set is retried.

    Attributes:
        num_retries: How many times (none by default).
        retry_policy_back_off: The backoff between retries.
    """

    num_retries: int = 0
    retry_policy_back_off: RetryPolicyBackOff | None = None


class JWKSTLSCertTrustedCA(Model, frozen=True):
    """CA certificates to verify a key set's server with (one of these).

    Attributes:
        filename: A file holding them.
        environment_variable: An environment variable holding them.
        inline_string: The certificates themselves.
        inline_bytes: The certificates themselves, as bytes.
    """

    filename: str = ""
    environment_variable: str = ""
    inline_string: str = ""
    inline_bytes: bytes = b""


class JWKSTLSCertProviderInstance(Model, frozen=True):
    """A certificate provider instance of Envoy.

    Attributes:
        instance_name: The instance (default ``"default"``).
        certificate_name: The certificate (``"ROOTCA"``, a domain, ...).
    """

    instance_name: str = ""
    certificate_name: str = ""


class JWKSTLSCertificate(Model, frozen=True):
    """How the server of a key set is verified (one of these).

    Attributes:
        ca_certificate_provider_instance: A certificate provider instance.
        trusted_ca: CA certificates.
    """

    ca_certificate_provider_instance: JWKSTLSCertProviderInstance | None = field(
        json="CaCertificateProviderInstance", default=None
    )
    trusted_ca: JWKSTLSCertTrustedCA | None = None


class JWKSCluster(Model, frozen=True):
    """How the server of a remote key set is reached.

    Attributes:
        discovery_type: ``"STRICT_DNS"`` (the default), ``"STATIC"``, ``"LOGICAL_DNS"``,
            ``"EDS"`` or ``"ORIGINAL_DST"``.
        tls_certificates: How the server is verified.
        connect_timeout: The timeout of a new connection (default 5s).
    """

    discovery_type: str = ""
    tls_certificates: JWKSTLSCertificate | None = None
    connect_timeout: NanoDuration = timedelta(0)


class RemoteJWKS(Model, frozen=True):
    """A JSON Web Key Set fetched from a server.

    Attributes:
        uri: Its URI.
        request_timeout_ms: The timeout of a fetch, in milliseconds.
        cache_duration: How long fetched keys are kept (default 5 minutes).
        fetch_asynchronously: Fetch it when a request comes rather than before listening.
        use_sni: Send the host name in the TLS handshake.
        retry_policy: How fetching is retried.
        jwks_cluster: How the server is reached.
    """

    uri: str = field(json="URI", default="")
    request_timeout_ms: int = 0
    cache_duration: NanoDuration = timedelta(0)
    fetch_asynchronously: bool = False
    use_sni: bool = False
    retry_policy: JWKSRetryPolicy | None = None
    jwks_cluster: JWKSCluster | None = field(json="JWKSCluster", default=None)


class JSONWebKeySet(Model, frozen=True):
    """Where a JWT provider's keys come from (one of these).

    Attributes:
        local: A key set on hand.
        remote: A key set fetched from a server.
    """

    local: LocalJWKS | None = None
    remote: RemoteJWKS | None = None


class JWTLocationHeader(Model, frozen=True):
    """A header that carries the JWT.

    Attributes:
        name: The header.
        value_prefix: What precedes the token in the value (``"Bearer "``).
        forward: Forward the header once the token is verified.
    """

    name: str = ""
    value_prefix: str = ""
    forward: bool = False


class JWTLocationQueryParam(Model, frozen=True):
    """A query parameter that carries the JWT.

    Attributes:
        name: The parameter.
    """

    name: str = ""


class JWTLocationCookie(Model, frozen=True):
    """A cookie that carries the JWT.

    Attributes:
        name: The cookie.
    """

    name: str = ""


class JWTLocation(Model, frozen=True):
    """Where a request carries the JWT (one of these).

    Attributes:
        header: In a header.
        query_param: In a query parameter.
        cookie: In a cookie.
    """

    header: JWTLocationHeader | None = None
    query_param: JWTLocationQueryParam | None = None
    cookie: JWTLocationCookie | None = None


class JWTForwardingConfig(Model, frozen=True):
    """How a verified JWT is forwarded to the service.

    Attributes:
        header_name: The header it is forwarded in (base64url-encoded).
        pad_forward_payload_header: Pad the base64 encoding.
    """

    header_name: str = ""
    pad_forward_payload_header: bool = False


class JWTCacheConfig(Model, frozen=True):
    """The cache of verified JWTs.

    Attributes:
        size: How many results are kept (0: no cache).
    """

    size: int = 0


class JWTProvider(ConfigEntryBase, frozen=True):
    """A ``jwt-provider`` entry (Consul 1.16+): an issuer of JWTs that intentions and API
    gateways verify.

    Attributes:
        kind: Always ``"jwt-provider"``.
        json_web_key_set: Where the provider's keys come from.
        issuer: The ``iss`` claim the tokens must have.
        audiences: Audiences a token must address (one of them).
        locations: Where requests carry the token (default the ``Authorization`` header's
            bearer token and the ``access_token`` query parameter).
        forwarding: How verified tokens are forwarded.
        clock_skew_seconds: The clock skew allowed on ``exp`` and ``nbf`` (default 30).
        cache_config: The cache of verified tokens.
    """

    kind: Literal["jwt-provider"] = "jwt-provider"
    json_web_key_set: JSONWebKeySet | None = field(json="JSONWebKeySet", default=None)
    issuer: str = ""
    audiences: list[str] = []
    locations: list[JWTLocation] = []
    forwarding: JWTForwardingConfig | None = None
    clock_skew_seconds: int = 0
    cache_config: JWTCacheConfig | None = None


class ReadWriteRatesConfig(Model, frozen=True):
    """Request rate limits of one category of operations.

    Attributes:
        read_rate: Reads per second.
        write_rate: Writes per second.
    """

    read_rate: float = 0.0
    write_rate: float = 0.0


class ControlPlaneRequestLimit(ConfigEntryBase, frozen=True):
    """A ``control-plane-request-limit`` entry (Enterprise): rate limits of the servers' RPCs
    per client IP, overall and per category of operations.

    Attributes:
        kind: Always ``"control-plane-request-limit"``.
        mode: ``"permissive"``, ``"enforcing"`` or ``"disabled"``.
        read_rate: Reads per second, overall.
        write_rate: Writes per second, overall.
        acl: The limits of ACL operations; the fields below likewise, one per category.
        catalog: Catalog operations.
        config_entry: Config entry operations.
        connect_ca: Connect CA operations.
        coordinate: Coordinate operations.
        discovery_chain: Discovery chain operations.
        server_discovery: Server discovery operations.
        health: Health operations.
        intention: Intention operations.
        kv: KV operations.
        tenancy: Partition and namespace operations.
        prepared_query: Prepared query operations.
        session: Session operations.
        txn: Transaction operations.
        auto_config: Auto-config operations.
        federation_state: Federation state operations.
        internal: Internal operations.
        peer_stream: Peering stream operations.
        peering: Peering operations.
        data_plane: Dataplane operations.
        dns: DNS operations.
        subscribe: Streaming subscriptions.
        resource: Resource operations.
    """

    kind: Literal["control-plane-request-limit"] = "control-plane-request-limit"
    mode: str = ""
    read_rate: float = 0.0
    write_rate: float = 0.0
    acl: ReadWriteRatesConfig | None = None
    catalog: ReadWriteRatesConfig | None = None
    config_entry: ReadWriteRatesConfig | None = None
    connect_ca: ReadWriteRatesConfig | None = None
    coordinate: ReadWriteRatesConfig | None = None
    discovery_chain: ReadWriteRatesConfig | None = None
    server_discovery: ReadWriteRatesConfig | None = None
    health: ReadWriteRatesConfig | None = None
    intention: ReadWriteRatesConfig | None = None
    kv: ReadWriteRatesConfig | None = field(json="KV", default=None)
    tenancy: ReadWriteRatesConfig | None = None
    prepared_query: ReadWriteRatesConfig | None = None
    session: ReadWriteRatesConfig | None = None
    txn: ReadWriteRatesConfig | None = None
    auto_config: ReadWriteRatesConfig | None = None
    federation_state: ReadWriteRatesConfig | None = None
    internal: ReadWriteRatesConfig | None = None
    peer_stream: ReadWriteRatesConfig | None = None
    peering: ReadWriteRatesConfig | None = None
    data_plane: ReadWriteRatesConfig | None = None
    dns: ReadWriteRatesConfig | None = None
    subscribe: ReadWriteRatesConfig | None = None
    resource: ReadWriteRatesConfig | None = None
