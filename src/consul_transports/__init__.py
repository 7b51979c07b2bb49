"""consul_transports: drivers that perform consul_core's requests under asyncio, trio and
plain threads, over replaceable transports.

Pick an entry point: `consul_transports.asyncio.Consul`, `consul_transports.trio.Consul` or
`consul_transports.sync.Consul`. The errors of `consul_core` are re-exported here.

Everything the package logs goes to the ``consul_transports`` logger and its children
(``.request``, ``.watch``, ``.lock``), which print nothing until the application configures
logging. `EventHooks` (`AsyncEventHooks`) are the clients' ``event_hooks=``;
`consul_transports.otel` traces requests with OpenTelemetry.
"""

import logging

from consul_core import errors as _errors
from consul_core.errors import *  # noqa: F403  (the errors of consul_core, re-exported)
from consul_transports._limits import PoolLimits
from consul_transports._observe import AsyncEventHooks, EventHooks
from consul_transports._streams import (
    AsyncBody,
    AsyncStreamingTransport,
    AsyncUpload,
    SyncBody,
    SyncStreamingTransport,
    SyncUpload,
    Upload,
)
from consul_transports._transport import AsyncTransport, SyncTransport

logging.getLogger("consul_transports").addHandler(logging.NullHandler())

__all__ = [
    "AsyncBody",
    "AsyncEventHooks",
    "AsyncStreamingTransport",
    "AsyncTransport",
    "AsyncUpload",
    "EventHooks",
    "PoolLimits",
    "SyncBody",
    "SyncStreamingTransport",
    "SyncTransport",
    "SyncUpload",
    "Upload",
]
__all__ += _errors.__all__
