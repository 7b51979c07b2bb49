"""`Coordination`: ``client.lock`` and ``client.semaphore``, and ``client.destroy_lock`` and
``client.destroy_semaphore``, defined once for the sync and the async clients (which inherit it
beside `ConsulAPI`).
"""

from __future__ import annotations

from consul_core.binding import D, Namespace, holder, ran
from consul_core.flows.lock import Lock, destroy_lock
from consul_core.flows.semaphore import Semaphore, destroy_semaphore

__all__ = ["Coordination"]


class Coordination(Namespace[D]):
    """Locks and semaphores, held for the length of a ``with`` block, and destroyed once nobody
    holds them.
    """

    lock = holder(Lock)
    semaphore = holder(Semaphore)
    destroy_lock = ran(destroy_lock)
    destroy_semaphore = ran(destroy_semaphore)
