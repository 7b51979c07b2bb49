"""Models of user events."""

from __future__ import annotations

from consul_core._codec import Model

__all__ = ["Event"]


class Event(Model, frozen=True):
    """A user event, as fired or as an agent received it.

    Attributes:
        id: The event's ID.
        name: Its name.
        payload: Its payload, or None when fired without one.
        node_filter: The regular expression of node names it was fired for.
        service_filter: The regular expression of service names it was fired for.
        tag_filter: The regular expression of service tags it was fired for.
        version: The version of the event format.
        l_time: Its Lamport time in the gossip pool (0 in the reply to the fire).
    """

    id: str
    name: str
    payload: bytes | None = None
    node_filter: str = ""
    service_filter: str = ""
    tag_filter: str = ""
    version: int = 0
    l_time: int = 0
