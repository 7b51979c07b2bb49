"""Namespaces: the endpoint builders bound to a driver, and the root that holds them all."""

from __future__ import annotations

from consul_core import binding

# The binding device lived here first: all its names stay importable from here (each named,
# as `name as name`: a type checker reading the installed package sees them re-exported).
from consul_core.binding import AsyncDriver as AsyncDriver
from consul_core.binding import AsyncWatchIterator as AsyncWatchIterator
from consul_core.binding import D as D
from consul_core.binding import Namespace as Namespace
from consul_core.binding import SyncDriver as SyncDriver
from consul_core.binding import WatchIterator as WatchIterator
from consul_core.binding import endpoint as endpoint
from consul_core.binding import holder as holder
from consul_core.binding import iterated as iterated
from consul_core.binding import ran as ran
from consul_core.binding import streamed as streamed
from consul_core.binding import watcher as watcher
from consul_core.endpoints import exported_services as _exported
from consul_core.namespaces.acl import ACL
from consul_core.namespaces.agent import Agent
from consul_core.namespaces.catalog import Catalog
from consul_core.namespaces.checks import Checks
from consul_core.namespaces.config import Config
from consul_core.namespaces.connect import Connect
from consul_core.namespaces.coordinate import Coordinate
from consul_core.namespaces.discovery_chain import DiscoveryChain
from consul_core.namespaces.event import Event
from consul_core.namespaces.health import Health
from consul_core.namespaces.kv import KV
from consul_core.namespaces.members import Members
from consul_core.namespaces.namespace import Namespaces
from consul_core.namespaces.operator import Operator
from consul_core.namespaces.partition import Partitions
from consul_core.namespaces.peering import Peerings
from consul_core.namespaces.query import Query
from consul_core.namespaces.services import Services
from consul_core.namespaces.session import Sessions
from consul_core.namespaces.snapshot import Snapshot
from consul_core.namespaces.status import Status
from consul_core.namespaces.txn import Transaction, Txn

__all__ = [
    "ACL",
    "KV",
    "Agent",
    "Catalog",
    "Checks",
    "Config",
    "Connect",
    "ConsulAPI",
    "Coordinate",
    "DiscoveryChain",
    "Event",
    "Health",
    "Members",
    "Namespaces",
    "Operator",
    "Partitions",
    "Peerings",
    "Query",
    "Services",
    "Sessions",
    "Snapshot",
    "Status",
    "Transaction",
    "Txn",
]
__all__ += binding.__all__


class ConsulAPI(Namespace[D]):
    """Every namespace of the Consul HTTP API, bound to one driver.

    Attributes:
        driver: The driver behind every namespace: ``execute(call)`` and ``run(flow)``.
        acl: The ACL system (legacy, and ``.tokens``, ``.policies``, ... for the modern one).
        agent: The local agent.
        checks: The local agent's checks.
        members: The agent's Serf members.
        services: The local agent's services.
        catalog: The catalog.
        event: User events.
        health: Health of nodes, services and checks.
        coordinate: Network coordinates.
        operator: Raft, autopilot and keyring (and, with Enterprise, network areas and
            segments, the license, the audit hash and utilization).
        query: Prepared queries.
        config: Config entries.
        connect: Connect CA and intentions.
        snapshot: Snapshots.
        discovery_chain: The compiled discovery chain.
        peering: Cluster peering.
        namespaces: Namespaces (Consul Enterprise).
        partitions: Admin partitions (Consul Enterprise).
        kv: The KV store and its transactions.
        session: Sessions.
        status: The Raft leader and peers.
        txn: Transactions of KV and catalog operations.
    """

    acl: ACL[D]
    agent: Agent[D]
    checks: Checks[D]
    members: Members[D]
    services: Services[D]
    catalog: Catalog[D]
    event: Event[D]
    health: Health[D]
    coordinate: Coordinate[D]
    operator: Operator[D]
    query: Query[D]
    config: Config[D]
    connect: Connect[D]
    snapshot: Snapshot[D]
    discovery_chain: DiscoveryChain[D]
    peering: Peerings[D]
    namespaces: Namespaces[D]
    partitions: Partitions[D]
    kv: KV[D]
    session: Sessions[D]
    status: Status[D]
    txn: Txn[D]

    exported_services = endpoint(_exported.exported_services)
