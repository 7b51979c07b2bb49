"""Namespaces: the endpoint builders bound to a driver, and the root that holds them all."""

from __future__ import annotations

from typing import Generic

from consul_core.groups.kv import KV, Transaction
from consul_core.groups.session import SessionAPI
from consul_core.groups.status import Status
from consul_core.namespaces import D

__all__ = ["KV", "ConsulAPI", "SessionAPI", "Status", "Transaction"]


class ConsulAPI(Generic[D]):
    """Every namespace of the Consul HTTP API, bound to one driver.

    Attributes:
        kv: The KV store and its transactions.
        session: Sessions.
        status: The Raft leader and peers.
    """

    def __init__(self, driver: D) -> None:
        self.kv: KV[D] = KV(driver)
        self.session: SessionAPI[D] = SessionAPI(driver)
        self.status: Status[D] = Status(driver)
