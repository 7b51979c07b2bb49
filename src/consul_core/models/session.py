"""Models of sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from consul_core._codec import Duration, NanoDuration
from consul_core.models._shared import Indexed

__all__ = ["Session", "SessionBehavior"]

SessionBehavior = Literal["release", "delete"]


class Session(Indexed, frozen=True):
    """A Consul session.

    Attributes:
        id: The session's ID.
        name: Its human-readable name.
        node: The node it is tied to.
        checks: Health checks it is tied to (Consul < 1.7 style; still sent by 1.8).
        node_checks: Node checks it is tied to.
        service_checks: Service checks it is tied to, as ``{"ID": ..., "Namespace": ...}``.
        lock_delay: How long a lock it held stays unacquirable after it is invalidated.
        behavior: What happens to the locks it holds when it is invalidated.
        ttl: Its TTL, or None for a session without one.
    """

    id: str
    name: str = ""
    node: str = ""
    checks: list[str] = []
    node_checks: list[str] = []
    service_checks: list[dict[str, str]] = []
    lock_delay: NanoDuration = timedelta(0)
    behavior: SessionBehavior = "release"
    ttl: Duration | None = None
    namespace: str = ""
    partition: str = ""
