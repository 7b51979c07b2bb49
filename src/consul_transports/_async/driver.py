"""The async driver: executes calls and runs flows over an async transport, under anyio."""

from __future__ import annotations

from typing import Any, TypeVar

import anyio

from consul_core import Call, ClientDefaults, ConsulError, Flow, Sleep
from consul_transports._transport import AsyncTransport

__all__ = ["AsyncDriver"]

T = TypeVar("T")


class AsyncDriver:
    """Performs `Call`s and flows on the running event loop (asyncio or trio)."""

    def __init__(self, transport: AsyncTransport, defaults: ClientDefaults) -> None:
        self.transport = transport
        self.defaults = defaults

    async def execute(self, call: Call[T]) -> T:
        """Send the call's request (with the client's defaults) and parse the response."""
        return call.parse(await self.transport.send(self.defaults.apply(call.request)))

    async def run(self, flow: Flow[T]) -> T:
        """Run a flow to its end, performing each effect it yields; a failed call is
        thrown into the flow.
        """
        result: Any = None
        error: ConsulError | None = None
        try:
            while True:
                effect = flow.send(result) if error is None else flow.throw(error)
                result, error = None, None
                try:
                    if isinstance(effect, Sleep):
                        await anyio.sleep(effect.seconds)
                    else:
                        result = await self.execute(effect)
                except ConsulError as exc:
                    error = exc
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
