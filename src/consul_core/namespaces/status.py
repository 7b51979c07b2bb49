"""The ``status`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import status

__all__ = ["Status"]


class Status(Namespace[D]):
    """The Raft leader and peers: ``/v1/status``."""

    leader = endpoint(status.leader)
    peers = endpoint(status.peers)
