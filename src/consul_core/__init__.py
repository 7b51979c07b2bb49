"""consul_core: the sans-IO protocol layer of consul-sansio.

Each endpoint call becomes a `Request` description and each `Response` is parsed into typed
results or a typed error. This package performs no I/O, reads no clock and draws no randomness;
drivers in ``consul_transports`` (or your own) send the requests.
"""

from consul_core.backoff import Backoff
from consul_core.blocking import BlockingState, read_timeout
from consul_core.call import Call, Effect, Flow, Sleep, perform, sleep
from consul_core.defaults import ClientDefaults
from consul_core.errors import (
    BadRequest,
    Conflict,
    ConnectError,
    ConsulError,
    LockConflict,
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
from consul_core.flows import (
    Heartbeat,
    Keepalive,
    Lock,
    Pacing,
    Semaphore,
    aggregated_status,
)
from consul_core.groups import ConsulAPI, Transaction
from consul_core.http import Headers, Request, Response
from consul_core.meta import QueryMeta
from consul_core.models.kv import KeyValue
from consul_core.models.session import Session
from consul_core.namespaces import AsyncExecutor, Namespace, SyncExecutor, endpoint

__all__ = [
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
