"""Models of prepared queries: their definitions, explanations and results.

Every field but the queried service defaults to its Go zero value, so a definition built by hand
is encoded without the fields left unset.
"""

from __future__ import annotations

from consul_core._codec import Duration, Model, field
from consul_core.models._shared import EnterpriseMeta, Indexed, ServerQueryMeta
from consul_core.models.health import ServiceEntry

__all__ = [
    "PreparedQuery",
    "QueryDNS",
    "QueryExplanation",
    "QueryFailover",
    "QueryFailoverTarget",
    "QueryResult",
    "QueryService",
    "QueryTemplate",
]


class QueryFailoverTarget(EnterpriseMeta, frozen=True):
    """A datacenter or cluster peer to fail over to (Consul 1.14+).

    Attributes:
        peer: A cluster peer's name.
        datacenter: A datacenter's name.
        partition: (Enterprise) An admin partition.
        namespace: (Enterprise) A namespace.
    """

    peer: str = ""
    datacenter: str = ""


class QueryFailover(Model, frozen=True):
    """Where a query looks when the local datacenter has no healthy instance.

    Attributes:
        nearest_n: How many of the nearest remote datacenters to try, by network coordinates.
        datacenters: Datacenters to try after those, in order.
        targets: Datacenters and peers to try instead of the two above (Consul 1.14+).
    """

    nearest_n: int = 0
    datacenters: list[str] = []
    targets: list[QueryFailoverTarget] = []


class QueryService(Model, frozen=True):
    """The service a query selects, and how.

    Attributes:
        service: The service's name (may hold template interpolations).
        failover: Where to look when no local instance is healthy.
        only_passing: Drop instances with a warning check, not only critical ones.
        ignore_check_ids: Checks to ignore when judging health.
        near: Sort by round trip time from this node (``"_agent"`` for the asking agent).
        tags: Tags an instance must have; ``"!tag"`` excludes a tag.
        node_meta: Node metadata an instance's node must have.
        service_meta: Service metadata an instance must have.
        connect: Select Connect-capable instances only (proxies and native services).
    """

    service: str
    failover: QueryFailover = field(factory=QueryFailover)
    only_passing: bool = False
    ignore_check_ids: list[str] = field(json="IgnoreCheckIDs", factory=list)
    near: str = ""
    tags: list[str] = []
    node_meta: dict[str, str] = {}
    service_meta: dict[str, str] = {}
    connect: bool = False


class QueryDNS(Model, frozen=True):
    """How results are served over DNS.

    Attributes:
        ttl: The TTL of the DNS answers, or None for the agent's default.
    """

    ttl: Duration | None = None


class QueryTemplate(Model, frozen=True):
    """Makes a query a template that serves every name with its prefix.

    Attributes:
        type: The template type; only ``"name_prefix_match"`` exists.
        regexp: A regular expression on the executed name, whose groups the definition's
            ``${match(N)}`` interpolations use.
        remove_empty_tags: Drop tags that interpolate to an empty string.
    """

    type: str = ""
    regexp: str = ""
    remove_empty_tags: bool = False


class PreparedQuery(Indexed, frozen=True):
    """A prepared query's definition.

    Attributes:
        service: The service it selects.
        id: Its ID (assigned by Consul; empty in a definition to create).
        name: Its name, by which it may be executed; a template's name is its prefix.
        session: A session that bounds its life.
        token: The ACL token it runs with (Consul shows ``"<hidden>"`` to most readers).
        dns: How its results are served over DNS.
        template: Its template settings, when it is a template.
    """

    service: QueryService
    id: str = ""
    name: str = ""
    session: str = ""
    token: str = ""
    dns: QueryDNS = field(factory=QueryDNS)
    template: QueryTemplate = field(factory=QueryTemplate)


class QueryExplanation(ServerQueryMeta, frozen=True):
    """A query as it would run for a name, its template interpolated.

    Attributes:
        query: The rendered definition.
    """

    query: PreparedQuery


class QueryResult(ServerQueryMeta, frozen=True):
    """The result of executing a query.

    Attributes:
        service: The service that was queried.
        nodes: The matching healthy instances, with their nodes and checks.
        dns: How these results are served over DNS.
        datacenter: The datacenter that answered.
        failovers: How many remote datacenters were asked.
        namespace: (Enterprise) The namespace of the service.
    """

    service: str = ""
    nodes: list[ServiceEntry] = []
    dns: QueryDNS = field(factory=QueryDNS)
    datacenter: str = ""
    failovers: int = 0
    namespace: str = ""
