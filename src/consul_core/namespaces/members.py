"""The ``members`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import members

__all__ = ["Members"]


class Members(Namespace[D]):
    """The agent's Serf members: ``/v1/agent/members``, join, force-leave."""

    items = endpoint(members.items)
    join = endpoint(members.join)
    force_leave = endpoint(members.force_leave)
