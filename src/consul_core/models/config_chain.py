"""Models of the discovery-chain config entries: ``service-router``, ``service-splitter`` and
``service-resolver`` (Consul 1.6+), which route a service's L7 traffic.

The rules of `consul_core.models.config_common` apply (Go's shapes, optional pointers, durations).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from consul_core._codec import Duration, Model, NanoDuration
from consul_core.models.config_common import (
    ConfigEntryBase,
    HTTPHeaderMatch,
    HTTPHeaderModifiers,
    PathMatch,
)

__all__ = [
    "CookieConfig",
    "HashPolicy",
    "LeastRequestConfig",
    "LoadBalancer",
    "RingHashConfig",
    "ServiceResolver",
    "ServiceResolverFailover",
    "ServiceResolverFailoverPolicy",
    "ServiceResolverFailoverTarget",
    "ServiceResolverPrioritizeByLocality",
    "ServiceResolverRedirect",
    "ServiceResolverSubset",
    "ServiceRoute",
    "ServiceRouteDestination",
    "ServiceRouteHTTPMatch",
    "ServiceRouteMatch",
    "ServiceRouteQueryParamMatch",
    "ServiceRouter",
    "ServiceSplit",
    "ServiceSplitter",
]


class ServiceRouteQueryParamMatch(Model, frozen=True):
    """A condition on one query parameter of a request.

    Attributes:
        name: The parameter's name.
        present: Match when it is present, whatever its value.
        exact: Match this exact value.
        regex: Match values that this regular expression matches.
    """

    name: str = ""
    present: bool = False
    exact: str = ""
    regex: str = ""


class ServiceRouteHTTPMatch(PathMatch, frozen=True):
    """The HTTP requests a route takes; every condition given must hold.

    Attributes:
        header: Conditions on headers.
        query_param: Conditions on query parameters.
        methods: The HTTP methods (all when empty).
    """

    header: list[HTTPHeaderMatch] = []
    query_param: list[ServiceRouteQueryParamMatch] = []
    methods: list[str] = []


class ServiceRouteMatch(Model, frozen=True):
    """What a route matches.

    Attributes:
        http: The HTTP requests it takes.
    """

    http: ServiceRouteHTTPMatch | None = None


class ServiceSubset(Model, frozen=True):
    """A service of the discovery chain, or a subset of it, that traffic goes to.

    Attributes:
        service: The service.
        service_subset: A subset of it.
    """

    service: str = ""
    service_subset: str = ""
    namespace: str = ""


class ServiceRouteDestination(ServiceSubset, frozen=True):
    """Where a route sends what it matched, and how.

    Attributes:
        service: The service (default the router's).
        service_subset: A subset of it that its resolver defines.
        prefix_rewrite: What replaces the matched path prefix.
        request_timeout: The timeout of a whole request.
        idle_timeout: How long a connection may stay idle.
        num_retries: How many times a failed request is retried.
        retry_on_connect_failure: Retry when the connection fails.
        retry_on_status_codes: Retry on these HTTP status codes.
        retry_on: Retry on these Envoy conditions (``"5xx"``, ``"reset"``, ...).
        request_headers: Changes to the request's headers.
        response_headers: Changes to the response's headers.
    """

    partition: str = ""
    prefix_rewrite: str = ""
    request_timeout: Duration = timedelta(0)
    idle_timeout: Duration = timedelta(0)
    num_retries: int = 0
    retry_on_connect_failure: bool = False
    retry_on_status_codes: list[int] = []
    retry_on: list[str] = []
    request_headers: HTTPHeaderModifiers | None = None
    response_headers: HTTPHeaderModifiers | None = None


class ServiceRoute(Model, frozen=True):
    """One route of a service-router: the first whose match holds takes the request.

    Attributes:
        match: What it matches (None: everything).
        destination: Where it sends it (None: the router's service).
    """

    match: ServiceRouteMatch | None = None
    destination: ServiceRouteDestination | None = None


class ServiceRouter(ConfigEntryBase, frozen=True):
    """A ``service-router`` entry: L7 routes of a service's traffic to other services or
    subsets.

    Attributes:
        kind: Always ``"service-router"``.
        routes: The routes, in order; a request that none takes goes to the service itself.
    """

    kind: Literal["service-router"] = "service-router"
    routes: list[ServiceRoute] = []


class ServiceSplit(Model, frozen=True):
    """One share of a service-splitter.

    Attributes:
        weight: Its share of the traffic, in percent (the weights add up to 100).
        service: The service (default the splitter's).
        service_subset: A subset of it that its resolver defines.
        request_headers: Changes to the request's headers.
        response_headers: Changes to the response's headers.
    """

    weight: float = 0.0
    service: str = ""
    service_subset: str = ""
    namespace: str = ""
    partition: str = ""
    request_headers: HTTPHeaderModifiers | None = None
    response_headers: HTTPHeaderModifiers | None = None


class ServiceSplitter(ConfigEntryBase, frozen=True):
    """A ``service-splitter`` entry: a service's traffic split by weight.

    Attributes:
        kind: Always ``"service-splitter"``.
        splits: The shares.
    """

    kind: Literal["service-splitter"] = "service-splitter"
    splits: list[ServiceSplit] = []


class ServiceResolverSubset(Model, frozen=True):
    """A named subset of a service's instances.

    Attributes:
        filter: A filter expression over the instances (``'Service.Meta.version == v1'``).
        only_passing: Only the instances whose checks all pass (warning ones left out).
    """

    filter: str = ""
    only_passing: bool = False


class ServiceTarget(ServiceSubset, frozen=True):
    """A service, or a subset of it, in another partition, datacenter or cluster peer: a place
    that a resolver redirects or fails over to.
    """

    partition: str = ""
    datacenter: str = ""
    peer: str = ""


class ServiceResolverRedirect(ServiceTarget, frozen=True):
    """Where a resolver sends all of its service's traffic instead.

    Attributes:
        sameness_group: (Enterprise) A sameness group.
    """

    sameness_group: str = ""


class ServiceResolverFailoverTarget(ServiceTarget, frozen=True):
    """One place a resolver fails over to."""


class ServiceResolverFailoverPolicy(Model, frozen=True):
    """How failover targets are ordered.

    Attributes:
        mode: ``"sequential"`` (the default) or ``"order-by-locality"``.
        regions: The regions, in order, for ``order-by-locality``.
    """

    mode: str = ""
    regions: list[str] = []


class ServiceResolverFailover(ServiceSubset, frozen=True):
    """Where a subset's traffic goes when none of its instances is healthy.

    Attributes:
        service: The service to fail over to.
        datacenters: Datacenters to try, in order.
        targets: Places to try, in order (instead of the fields above).
        policy: How the targets are ordered.
        sameness_group: (Enterprise) A sameness group to fail over within.
    """

    datacenters: list[str] = []
    targets: list[ServiceResolverFailoverTarget] = []
    policy: ServiceResolverFailoverPolicy | None = None
    sameness_group: str = ""


class ServiceResolverPrioritizeByLocality(Model, frozen=True):
    """Whether instances in the proxy's own locality come first.

    Attributes:
        mode: ``"none"`` (the default) or ``"failover"``.
    """

    mode: str = ""


class RingHashConfig(Model, frozen=True):
    """The settings of the ``ring_hash`` load-balancing policy.

    Attributes:
        minimum_ring_size: The least number of entries in the hash ring.
        maximum_ring_size: The most entries in the hash ring.
    """

    minimum_ring_size: int = 0
    maximum_ring_size: int = 0


class LeastRequestConfig(Model, frozen=True):
    """The settings of the ``least_request`` load-balancing policy.

    Attributes:
        choice_count: How many random healthy hosts to choose the least loaded from.
    """

    choice_count: int = 0


class CookieConfig(Model, frozen=True):
    """The cookie a ``cookie`` hash policy makes Envoy generate.

    Attributes:
        session: A session cookie (no expiry).
        ttl: How long a generated cookie lasts.
        path: The cookie's path.
    """

    session: bool = False
    ttl: NanoDuration = timedelta(0)
    path: str = ""


class HashPolicy(Model, frozen=True):
    """What a hash-based load-balancing policy hashes.

    Attributes:
        field: ``"header"``, ``"cookie"`` or ``"query_parameter"``.
        field_value: The header, cookie or parameter name.
        cookie_config: The cookie to generate, for ``cookie``.
        source_ip: Hash the source IP instead.
        terminal: Stop at this policy when it yields a hash.
    """

    field: str = ""
    field_value: str = ""
    cookie_config: CookieConfig | None = None
    source_ip: bool = False
    terminal: bool = False


class LoadBalancer(Model, frozen=True):
    """How proxies balance the requests to a service.

    Attributes:
        policy: ``"round_robin"``, ``"least_request"``, ``"ring_hash"``, ``"maglev"``,
            ``"random"``, or empty (Envoy's default).
        ring_hash_config: The settings of ``ring_hash``.
        least_request_config: The settings of ``least_request``.
        hash_policies: What the hash-based policies hash.
    """

    policy: str = ""
    ring_hash_config: RingHashConfig | None = None
    least_request_config: LeastRequestConfig | None = None
    hash_policies: list[HashPolicy] = []


class ServiceResolver(ConfigEntryBase, frozen=True):
    """A ``service-resolver`` entry: which instances of a service serve its traffic.

    Attributes:
        kind: Always ``"service-resolver"``.
        default_subset: The subset used when a route names none.
        subsets: The named subsets.
        redirect: Where all of the service's traffic goes instead.
        failover: Where a subset's traffic goes when it has no healthy instance, by subset
            (``"*"``: any).
        connect_timeout: The timeout of a new connection to the service.
        request_timeout: The timeout of a whole HTTP request (Consul 1.10+).
        prioritize_by_locality: Whether instances in the proxy's locality come first.
        load_balancer: How proxies balance the requests.
    """

    kind: Literal["service-resolver"] = "service-resolver"
    default_subset: str = ""
    subsets: dict[str, ServiceResolverSubset] = {}
    redirect: ServiceResolverRedirect | None = None
    failover: dict[str, ServiceResolverFailover] = {}
    connect_timeout: Duration = timedelta(0)
    request_timeout: Duration = timedelta(0)
    prioritize_by_locality: ServiceResolverPrioritizeByLocality | None = None
    load_balancer: LoadBalancer | None = None
