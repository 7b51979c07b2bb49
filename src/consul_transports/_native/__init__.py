"""The native transports: HTTP/1.1 over a keep-alive connection pool, responses parsed by
httptools; `AsyncNativeTransport` waits on its sockets with anyio (asyncio and trio),
`NativeTransport` in the calling thread.

Only the waiting differs between the two: request bytes, response assembly (`_wire`), socket
handling (`_sockets`) and the pool's decisions (`_policy`) are shared, and the request path is
written once (`_transport_async`) and generated for the sync side (`_transport_sync`).
"""

from consul_transports._limits import PoolLimits
from consul_transports._native._transport_async import AsyncNativeTransport
from consul_transports._native._transport_sync import NativeTransport

__all__ = ["AsyncNativeTransport", "NativeTransport", "PoolLimits"]
