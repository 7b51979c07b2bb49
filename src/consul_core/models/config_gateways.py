"""Models of the gateway config entries: ``ingress-gateway`` and ``terminating-gateway``
(Consul 1.8+), and the API gateway's ``api-gateway``, ``http-route``, ``tcp-route``,
``inline-certificate`` and ``file-system-certificate`` (Consul 1.15+, the last 1.19+).

The rules of `consul_core.models.config_common` apply (Go's shapes, optional pointers, durations).
An inline certificate's private key is left out of its repr.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar, Literal

from consul_core._codec import Model, NanoDuration, Timestamp, field
from consul_core.models._shared import EnterpriseMeta, TLSParameters
from consul_core.models.config_common import (
    ConfigEntryBase,
    HTTPHeaderModifiers,
    PassiveHealthCheck,
)
from consul_core.models.connect import IntentionJWTProvider, IntentionJWTRequirement

__all__ = [
    "APIGateway",
    "APIGatewayListener",
    "APIGatewayPolicy",
    "APIGatewayTLSConfiguration",
    "ConfigEntryCondition",
    "ConfigEntryStatus",
    "FileSystemCertificate",
    "GatewayServiceTLSConfig",
    "GatewayTLSConfig",
    "GatewayTLSSDSConfig",
    "HTTPRoute",
    "HTTPRouteFilters",
    "HTTPRouteHeaderFilter",
    "HTTPRouteHeaderMatch",
    "HTTPRouteJWTFilter",
    "HTTPRouteMatch",
    "HTTPRoutePathMatch",
    "HTTPRouteQueryMatch",
    "HTTPRouteRetryFilter",
    "HTTPRouteRule",
    "HTTPRouteService",
    "HTTPRouteTimeoutFilter",
    "HTTPRouteURLRewrite",
    "IngressGateway",
    "IngressListener",
    "IngressService",
    "IngressServiceConfig",
    "InlineCertificate",
    "LinkedService",
    "ResourceReference",
    "TCPRoute",
    "TCPRouteService",
    "TerminatingGateway",
]


class GatewayTLSSDSConfig(Model, frozen=True):
    """A certificate served by an SDS (secret discovery) cluster.

    Attributes:
        cluster_name: The SDS cluster.
        cert_resource: The certificate's resource name.
    """

    cluster_name: str = ""
    cert_resource: str = ""


class GatewayTLSConfig(TLSParameters, frozen=True):
    """The TLS settings of an ingress gateway, or of one of its listeners.

    Attributes:
        enabled: Whether TLS is on, with Connect's certificates.
        sds: A certificate from SDS instead.
    """

    enabled: bool = False
    sds: GatewayTLSSDSConfig | None = field(json="SDS", default=None)


class GatewayServiceTLSConfig(Model, frozen=True):
    """The TLS settings of one service of an ingress listener.

    Attributes:
        sds: A certificate from SDS.
    """

    sds: GatewayTLSSDSConfig | None = field(json="SDS", default=None)


class IngressLimits(Model, frozen=True, kw_only=True):
    """The limits an ingress gateway applies to an upstream service (None: Envoy's default),
    which Go's defaults of the gateway and settings of one service end with.

    Attributes:
        max_connections: The most connections to the service.
        max_pending_requests: The most requests queued for a connection.
        max_concurrent_requests: The most requests in flight.
        passive_health_check: How the service's unhealthy instances are ejected.
    """

    max_connections: int | None = None
    max_pending_requests: int | None = None
    max_concurrent_requests: int | None = None
    passive_health_check: PassiveHealthCheck | None = None


class IngressServiceConfig(IngressLimits, frozen=True):
    """Limits an ingress gateway applies to its upstream services (None: Envoy's default)."""


class IngressService(IngressLimits, frozen=True):
    """A service an ingress listener forwards to (its limits override the gateway's).

    Attributes:
        name: The service (``"*"``: every service, on an HTTP listener).
        hosts: The ``Host`` header values that route to it (L7 listeners).
        tls: Its TLS settings.
        request_headers: Changes to the request's headers.
        response_headers: Changes to the response's headers.
    """

    name: str = ""
    hosts: list[str] = []
    namespace: str = ""
    partition: str = ""
    tls: GatewayServiceTLSConfig | None = None
    request_headers: HTTPHeaderModifiers | None = None
    response_headers: HTTPHeaderModifiers | None = None


class IngressListener(Model, frozen=True):
    """A port of an ingress gateway and the services behind it.

    Attributes:
        port: The port.
        protocol: ``"tcp"`` (one service), ``"http"``, ``"http2"`` or ``"grpc"``.
        services: The services it forwards to.
        tls: Its own TLS settings.
    """

    port: int = 0
    protocol: str = ""
    services: list[IngressService] = []
    tls: GatewayTLSConfig | None = None


class IngressGateway(ConfigEntryBase, frozen=True):
    """An ``ingress-gateway`` entry: the listeners of the ingress gateway service of that name.

    Attributes:
        kind: Always ``"ingress-gateway"``.
        tls: The gateway's TLS settings.
        listeners: Its listeners.
        defaults: Limits for all of its upstream services.
    """

    kind: Literal["ingress-gateway"] = "ingress-gateway"
    tls: GatewayTLSConfig = field(factory=GatewayTLSConfig)
    listeners: list[IngressListener] = []
    defaults: IngressServiceConfig | None = None


class LinkedService(Model, frozen=True):
    """A service outside the mesh that a terminating gateway reaches.

    Attributes:
        name: The service, as the catalog names it (``"*"``: every service of the namespace).
        ca_file: The CA certificate to verify it with.
        cert_file: The client certificate to present to it.
        key_file: The client certificate's key.
        sni: The SNI to send to it.
    """

    name: str = ""
    namespace: str = ""
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    sni: str = ""


class TerminatingGateway(ConfigEntryBase, frozen=True):
    """A ``terminating-gateway`` entry: the services the terminating gateway of that name
    reaches.

    Attributes:
        kind: Always ``"terminating-gateway"``.
        services: The linked services.
    """

    kind: Literal["terminating-gateway"] = "terminating-gateway"
    services: list[LinkedService] = []


class ResourceReference(EnterpriseMeta, frozen=True):
    """A reference to a config entry, or to a section of one (a gateway's listener).

    Attributes:
        kind: The entry's kind.
        name: The entry's name.
        section_name: The section (a listener's name), or empty for the whole entry.
    """

    kind: str = ""
    name: str = ""
    section_name: str = ""


class ConfigEntryCondition(Model, frozen=True):
    """One condition of an entry's status (``Accepted``, ``Bound``, ``ResolvedRefs``, ...).

    Attributes:
        type: The condition.
        status: ``"True"``, ``"False"`` or ``"Unknown"``.
        reason: Why, in a word.
        message: Why, in a sentence.
        resource: The entry it is about, if another.
        last_transition_time: When it last changed.
    """

    type: str = ""
    status: str = ""
    reason: str = ""
    message: str = ""
    resource: ResourceReference | None = None
    last_transition_time: Timestamp | None = None


class ConfigEntryStatus(Model, frozen=True):
    """The status Consul's controllers write on an API gateway or a route.

    Attributes:
        conditions: Its conditions.
    """

    conditions: list[ConfigEntryCondition] = []


class APIGatewayTLSConfiguration(Model, frozen=True):
    """The TLS settings of an API gateway listener.

    Attributes:
        certificates: The certificate entries it serves (``inline-certificate``,
            ``file-system-certificate``).
        max_version: The greatest TLS version.
        min_version: The least TLS version.
        cipher_suites: The cipher suites allowed (TLS 1.2 and below).
    """

    certificates: list[ResourceReference] = []
    max_version: str = ""
    min_version: str = ""
    cipher_suites: list[str] = []


class APIGatewayPolicy(Model, frozen=True):
    """The policy of an API gateway listener (Enterprise).

    Attributes:
        jwt: The JWTs requests must carry.
    """

    jwt: IntentionJWTRequirement | None = None


class APIGatewayListener(Model, frozen=True):
    """A listener of an API gateway.

    Attributes:
        name: Its name, unique in the gateway (routes bind to it as a section).
        hostname: The host it serves (empty: every host).
        protocol: ``"http"`` or ``"tcp"``.
        tls: Its TLS settings.
        override: A policy that overrides the routes' own.
        default: A policy that routes may override.
    """

    name: str = ""
    hostname: str = ""
    port: int = 0
    protocol: str = ""
    tls: APIGatewayTLSConfiguration = field(factory=APIGatewayTLSConfiguration)
    override: APIGatewayPolicy | None = None
    default: APIGatewayPolicy | None = None


class APIGateway(ConfigEntryBase, frozen=True):
    """An ``api-gateway`` entry: the listeners of the API gateway of that name.

    Attributes:
        kind: Always ``"api-gateway"``.
        listeners: Its listeners.
        status: What Consul's controller says of it (read only).
    """

    kind: Literal["api-gateway"] = "api-gateway"
    listeners: list[APIGatewayListener] = []
    status: ConfigEntryStatus = field(factory=ConfigEntryStatus)


class TCPRouteService(EnterpriseMeta, frozen=True):
    """A service a TCP route sends to.

    Attributes:
        name: The service.
    """

    name: str = ""


class TCPRoute(ConfigEntryBase, frozen=True):
    """A ``tcp-route`` entry: TCP traffic of API gateway listeners sent to a service.

    Attributes:
        kind: Always ``"tcp-route"``.
        parents: The gateways (and listeners) it binds to.
        services: The service it sends to (at most one).
        status: What Consul's controller says of it (read only).
    """

    kind: Literal["tcp-route"] = "tcp-route"
    parents: list[ResourceReference] = []
    services: list[TCPRouteService] = []
    status: ConfigEntryStatus = field(factory=ConfigEntryStatus)


class NamedValueMatch(Model, frozen=True):
    """A condition of an HTTP route on one named value of a request (a header, a parameter).

    Attributes:
        match: How the value is compared.
        name: The value's name.
        value: The value to compare with.
    """

    match: str = ""
    name: str = ""
    value: str = ""


class HTTPRouteHeaderMatch(NamedValueMatch, frozen=True):
    """A condition of an HTTP route on one header.

    Attributes:
        match: ``"exact"``, ``"prefix"``, ``"suffix"``, ``"present"`` or ``"regex"``.
        name: The header's name.
    """


class HTTPRoutePathMatch(Model, frozen=True):
    """A condition of an HTTP route on the path.

    Attributes:
        match: ``"exact"``, ``"prefix"`` or ``"regex"``.
        value: The value to compare with.
    """

    match: str = ""
    value: str = ""


class HTTPRouteQueryMatch(NamedValueMatch, frozen=True):
    """A condition of an HTTP route on one query parameter.

    Attributes:
        match: ``"exact"``, ``"present"`` or ``"regex"``.
        name: The parameter's name.
    """


class HTTPRouteMatch(Model, frozen=True):
    """The requests a rule of an HTTP route takes; every condition given must hold.

    Attributes:
        headers: Conditions on headers.
        method: The HTTP method (empty: any).
        path: The condition on the path.
        query: Conditions on query parameters.
    """

    headers: list[HTTPRouteHeaderMatch] = []
    method: str = ""
    path: HTTPRoutePathMatch = field(factory=HTTPRoutePathMatch)
    query: list[HTTPRouteQueryMatch] = []


class HTTPRouteHeaderFilter(Model, frozen=True):
    """Changes an HTTP route makes to the request's headers.

    Attributes:
        add: Headers to append.
        remove: Names of headers to strip.
        set: Headers to set, replacing any of the same name.
    """

    add: dict[str, str] = {}
    remove: list[str] = []
    set: dict[str, str] = {}


class HTTPRouteURLRewrite(Model, frozen=True):
    """A rewrite of the request's path prefix.

    Attributes:
        path: What replaces the matched prefix.
    """

    path: str = ""


class HTTPRouteRetryFilter(Model, frozen=True):
    """When an HTTP route retries a request (None: the gateway's default).

    Attributes:
        num_retries: How many times.
        retry_on: On these Envoy conditions (``"5xx"``, ``"reset"``, ...).
        retry_on_status_codes: On these HTTP status codes.
        retry_on_connect_failure: When the connection fails.
    """

    num_retries: int | None = None
    retry_on: list[str] = []
    retry_on_status_codes: list[int] = []
    retry_on_connect_failure: bool | None = None


class HTTPRouteTimeoutFilter(Model, frozen=True):
    """The timeouts of an HTTP route.

    Attributes:
        request_timeout: The timeout of a whole request.
        idle_timeout: How long a connection may stay idle.
    """

    request_timeout: NanoDuration = timedelta(0)
    idle_timeout: NanoDuration = timedelta(0)


class HTTPRouteJWTFilter(Model, frozen=True):
    """The JWTs the requests of an HTTP route must carry (Enterprise).

    Attributes:
        providers: The providers whose tokens are accepted.
    """

    providers: list[IntentionJWTProvider] = []


class HTTPRouteFilters(Model, frozen=True):
    """What an HTTP route changes in a request before it routes it.

    Attributes:
        headers: Changes to the headers.
        url_rewrite: A rewrite of the path prefix.
        retry_filter: When to retry.
        timeout_filter: The timeouts.
        jwt: The JWTs requests must carry.
    """

    headers: list[HTTPRouteHeaderFilter] = []
    url_rewrite: HTTPRouteURLRewrite | None = None
    retry_filter: HTTPRouteRetryFilter | None = None
    timeout_filter: HTTPRouteTimeoutFilter | None = None
    jwt: HTTPRouteJWTFilter | None = None


class HTTPRouteService(EnterpriseMeta, frozen=True):
    """A service an HTTP route rule sends to.

    Attributes:
        name: The service.
        weight: Its share of the rule's traffic, relative to the others'.
        filters: Changes to the requests sent to it.
    """

    name: str = ""
    weight: int = 0
    filters: HTTPRouteFilters = field(factory=HTTPRouteFilters)


class HTTPRouteRule(Model, frozen=True):
    """A rule of an HTTP route: the requests it matches, and the services they go to.

    Attributes:
        filters: Changes to the requests it matches.
        matches: What it matches (any of them; none: everything).
        services: Where the requests go.
    """

    filters: HTTPRouteFilters = field(factory=HTTPRouteFilters)
    matches: list[HTTPRouteMatch] = []
    services: list[HTTPRouteService] = []


class HTTPRoute(ConfigEntryBase, frozen=True):
    """An ``http-route`` entry: HTTP traffic of API gateway listeners routed to services.

    Attributes:
        kind: Always ``"http-route"``.
        parents: The gateways (and listeners) it binds to.
        rules: Its rules.
        hostnames: The hosts it serves.
        status: What Consul's controller says of it (read only).
    """

    kind: Literal["http-route"] = "http-route"
    parents: list[ResourceReference] = []
    rules: list[HTTPRouteRule] = []
    hostnames: list[str] = []
    status: ConfigEntryStatus = field(factory=ConfigEntryStatus)


class InlineCertificate(ConfigEntryBase, frozen=True):
    """An ``inline-certificate`` entry: a certificate and its key, for API gateway listeners.

    Attributes:
        kind: Always ``"inline-certificate"``.
        certificate: The PEM-encoded certificate.
        private_key: The PEM-encoded private key (left out of the repr).
    """

    _repr_hidden: ClassVar[frozenset[str]] = frozenset({"private_key"})

    kind: Literal["inline-certificate"] = "inline-certificate"
    certificate: str = ""
    private_key: str = ""


class FileSystemCertificate(ConfigEntryBase, frozen=True):
    """A ``file-system-certificate`` entry: the paths of a certificate and its key on the
    gateways' hosts (Consul 1.19+).

    Attributes:
        kind: Always ``"file-system-certificate"``.
        certificate: The certificate file's path.
        private_key: The private key file's path.
    """

    kind: Literal["file-system-certificate"] = "file-system-certificate"
    certificate: str = ""
    private_key: str = ""
