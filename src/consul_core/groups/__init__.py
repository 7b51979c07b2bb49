"""Namespaces: the endpoint builders bound to a driver, and the root that holds them all."""

from __future__ import annotations

from typing import Generic

from consul_core.groups.acl import ACL
from consul_core.groups.agent import Agent
from consul_core.groups.catalog import Catalog
from consul_core.groups.checks import Checks
from consul_core.groups.config import Config
from consul_core.groups.connect import Connect
from consul_core.groups.coordinate import Coordinate
from consul_core.groups.event import Event
from consul_core.groups.health import Health
from consul_core.groups.kv import KV, Transaction
from consul_core.groups.members import Members
from consul_core.groups.operator import Operator
from consul_core.groups.query import Query
from consul_core.groups.services import Services
from consul_core.groups.session import SessionAPI
from consul_core.groups.snapshot import Snapshot
from consul_core.groups.status import Status
from consul_core.namespaces import D

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
    "Event",
    "Health",
    "Members",
    "Operator",
    "Query",
    "Services",
    "SessionAPI",
    "Snapshot",
    "Status",
    "Transaction",
]


class ConsulAPI(Generic[D]):
    """Every namespace of the Consul HTTP API, bound to one driver.

    Attributes:
        driver: The executor behind every namespace: ``execute(call)`` and ``run(flow)``.
        acl: The ACL system (legacy, and ``.tokens``, ``.policies``, ... for the modern one).
        agent: The local agent.
        checks: The local agent's checks.
        members: The agent's Serf members.
        services: The local agent's services.
        catalog: The catalog.
        event: User events.
        health: Health of nodes, services and checks.
        coordinate: Network coordinates.
        operator: Raft, autopilot and keyring.
        query: Prepared queries.
        config: Config entries.
        connect: Connect CA and intentions.
        snapshot: Snapshots.
        kv: The KV store and its transactions.
        session: Sessions.
        status: The Raft leader and peers.
    """

    def __init__(self, driver: D) -> None:
        #: Executes any `Call` (``driver.execute(call)``) or flow (``driver.run(flow)``).
        self.driver: D = driver
        self.acl: ACL[D] = ACL(driver)
        self.agent: Agent[D] = Agent(driver)
        self.checks: Checks[D] = Checks(driver)
        self.members: Members[D] = Members(driver)
        self.services: Services[D] = Services(driver)
        self.catalog: Catalog[D] = Catalog(driver)
        self.event: Event[D] = Event(driver)
        self.health: Health[D] = Health(driver)
        self.coordinate: Coordinate[D] = Coordinate(driver)
        self.operator: Operator[D] = Operator(driver)
        self.query: Query[D] = Query(driver)
        self.config: Config[D] = Config(driver)
        self.connect: Connect[D] = Connect(driver)
        self.snapshot: Snapshot[D] = Snapshot(driver)
        self.kv: KV[D] = KV(driver)
        self.session: SessionAPI[D] = SessionAPI(driver)
        self.status: Status[D] = Status(driver)
