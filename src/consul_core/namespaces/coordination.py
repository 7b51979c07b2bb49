"""`Coordination`: ``client.lock`` and ``client.semaphore``, defined once for the sync and the
async clients (which inherit it beside `ConsulAPI`).
"""

from __future__ import annotations

from consul_core.binding import D, Namespace, holder
from consul_core.flows.lock import Lock
from consul_core.flows.semaphore import Semaphore

__all__ = ["Coordination"]


class Coordination(Namespace[D]):
    """Locks and semaphores, held for the length of a ``with`` block."""

    lock = holder(Lock)
    semaphore = holder(Semaphore)
