"""The native transports: HTTP/1.1 over a keep-alive connection pool, responses parsed by
httptools; `AsyncNativeTransport` on anyio streams (asyncio and trio), `NativeTransport` on
blocking sockets.

Only the I/O differs between the two: request bytes, response assembly (`_wire`) and the pool's
decisions (`_policy`) are shared.
"""

from consul_transports._limits import PoolLimits
from consul_transports._native._async import AsyncNativeTransport
from consul_transports._native._sync import NativeTransport

__all__ = ["AsyncNativeTransport", "NativeTransport", "PoolLimits"]
