"""consul_core: the sans-IO protocol layer of consul-sansio.

Each endpoint call becomes a `Request` description and each `Response` is parsed into typed
results or a typed error. This package performs no I/O, reads no clock and draws no randomness;
drivers in ``consul_transports`` (or your own) send the requests.
"""

from consul_core.backoff import Backoff
from consul_core.blocking import BlockingState, read_timeout
from consul_core.call import Call
from consul_core.defaults import ClientDefaults
from consul_core.errors import (
    ACLNotFound,
    BadRequest,
    Conflict,
    ConnectError,
    ConsulError,
    LockConflict,
    LockInUse,
    LockLost,
    NotFound,
    PermissionDenied,
    RateLimited,
    ReleaseFailed,
    RequestTooLarge,
    ResponseError,
    ServerError,
    Timeout,
    TransactionError,
    TransportError,
    TxnError,
    UnexpectedResponse,
    UsageError,
    error_for_response,
)
from consul_core.flows import Heartbeat, Keepalive, Lock, Pacing, Semaphore
from consul_core.flows.effects import Flow, Sleep, Step, perform, sleep
from consul_core.http import Headers, Request, Response
from consul_core.meta import QueryMeta
from consul_core.models.health import aggregated_status
from consul_core.models.kv import KeyValue
from consul_core.models.session import Session
from consul_core.namespaces import (
    AsyncDriver,
    ConsulAPI,
    Namespace,
    SyncDriver,
    Transaction,
    endpoint,
)

Effect = Step
"""The old name of `Step` (what a flow yields), kept working."""
SyncExecutor = SyncDriver
"""The old name of `SyncDriver`, kept working."""
AsyncExecutor = AsyncDriver
"""The old name of `AsyncDriver`, kept working."""

__all__ = [
    "ACLNotFound",
    "AsyncDriver",
    "AsyncExecutor",
    "Backoff",
    "BadRequest",
    "BlockingState",
    "Call",
    "ClientDefaults",
    "Conflict",
    "ConnectError",
    "ConsulAPI",
    "ConsulError",
    "Effect",
    "Flow",
    "Headers",
    "Heartbeat",
    "Keepalive",
    "KeyValue",
    "Lock",
    "LockConflict",
    "LockInUse",
    "LockLost",
    "Namespace",
    "NotFound",
    "Pacing",
    "PermissionDenied",
    "QueryMeta",
    "RateLimited",
    "ReleaseFailed",
    "Request",
    "RequestTooLarge",
    "Response",
    "ResponseError",
    "Semaphore",
    "ServerError",
    "Session",
    "Sleep",
    "Step",
    "SyncDriver",
    "SyncExecutor",
    "Timeout",
    "Transaction",
    "TransactionError",
    "TransportError",
    "TxnError",
    "UnexpectedResponse",
    "UsageError",
    "aggregated_status",
    "endpoint",
    "error_for_response",
    "perform",
    "read_timeout",
    "sleep",
]
