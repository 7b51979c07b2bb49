"""The ``status`` namespace."""

from __future__ import annotations

from consul_core.endpoints import status
from consul_core.namespaces import D, Namespace, endpoint

__all__ = ["Status"]


class Status(Namespace[D]):
    """The Raft leader and peers: ``/v1/status``."""

    leader = endpoint(status.leader)
    peers = endpoint(status.peers)
