"""Flows: the logic of the helpers above the endpoints (watches, session renewal, locks,
semaphores, service heartbeats), written once as generators of effects that every driver runs.

Rules:
- A flow performs no I/O, reads no clock and draws no randomness: it yields `Call`, `Sleep`, `Now`
  and `Notice` effects (and a stream also `Emit`) and receives their results (`effects`).
- A flow that holds something never cleans up in a ``finally``: a closed generator cannot do
  I/O. Cleanup is its own flow (`Lease.close`), which the driver runs shielded.
"""

from consul_core.flows.effects import (
    Cursor,
    Emit,
    Flow,
    Notice,
    NoticeKind,
    Now,
    Sleep,
    Step,
    Stream,
    attempt,
    now,
    perform,
    sleep,
    until,
)
from consul_core.flows.heartbeat import Heartbeat
from consul_core.flows.held import Held
from consul_core.flows.keepalive import Keepalive
from consul_core.flows.lease import Lease
from consul_core.flows.lock import LOCK_FLAG, Lock, LockConflict, destroy_lock
from consul_core.flows.pacing import Pacing, Retry
from consul_core.flows.semaphore import SEMAPHORE_FLAG, Semaphore, destroy_semaphore
from consul_core.flows.watch import RETRYABLE, blocking_read, read_entry, watch, watch_hash

# Its old home, kept working: the status of a list of checks lives with the health models.
from consul_core.models.health import aggregated_status

__all__ = [
    "LOCK_FLAG",
    "RETRYABLE",
    "SEMAPHORE_FLAG",
    "Cursor",
    "Emit",
    "Flow",
    "Heartbeat",
    "Held",
    "Keepalive",
    "Lease",
    "Lock",
    "LockConflict",
    "Notice",
    "NoticeKind",
    "Now",
    "Pacing",
    "Retry",
    "Semaphore",
    "Sleep",
    "Step",
    "Stream",
    "aggregated_status",
    "attempt",
    "blocking_read",
    "destroy_lock",
    "destroy_semaphore",
    "now",
    "perform",
    "read_entry",
    "sleep",
    "until",
    "watch",
    "watch_hash",
]
