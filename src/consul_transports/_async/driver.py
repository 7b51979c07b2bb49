"""The async driver: executes calls and runs flows over an async transport, under anyio."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

import anyio

from consul_core import Call, ConsulError, Response, Sleep
from consul_core.flows import Cursor, Flow, Held, Notice, Now, Stream
from consul_core.streaming import AsyncSink, AsyncSource, StreamCall
from consul_transports import _observe
from consul_transports._async import stream as streams
from consul_transports._async import supervise
from consul_transports._async.watch import AsyncWatch
from consul_transports._driver import DriverBase
from consul_transports._observe import Exchange, HookCall
from consul_transports._stop import AsyncStop
from consul_transports._transport import AsyncTransport

__all__ = ["AnyioDriver"]

T = TypeVar("T")
V = TypeVar("V")
H = TypeVar("H", bound=Held)


class AnyioDriver(DriverBase[AsyncTransport, Awaitable[object]]):
    """Performs `Call`s and flows on the running event loop (asyncio or trio); its parts are
    those of `DriverBase`.
    """

    async def observed(self, exchange: Exchange[Awaitable[object]]) -> Response:
        """Send the request of `exchange` through the transport, with the event hooks and the
        request log.
        """
        request = exchange.request
        await self.call_hooks(exchange.before())
        try:
            response = await self.transport.send(request)
        except BaseException as exc:
            await self.failed(exchange, exc)
            raise
        await self.call_hooks(exchange.answered(response))
        return response

    async def call_hooks(self, calls: Iterable[HookCall[Awaitable[object]]]) -> None:
        """Make the event hook calls of an `Exchange`, in order."""
        for hook, args in calls:
            await hook(*args)

    async def failed(self, exchange: Exchange[Awaitable[object]], exc: BaseException) -> None:
        """Make the ``error`` hook calls of `exchange`, failed with `exc`. After a
        cancellation they run shielded from it (`_observe.shielded`), and a hook that raises
        is logged, not raised: its error would replace the cancellation, which the scope that
        cancelled must see. Otherwise a hook's error reaches the caller, as documented.
        """
        try:
            with _observe.shielded(exc):
                await self.call_hooks(exchange.failed(exc))
        except Exception:
            if not _observe.cancellation(exc):
                raise
            _observe.hook_failed(exchange.request)

    async def execute(self, call: Call[T]) -> T:
        """Send the call's request (with the client's defaults) and parse the response; the
        event hooks and the request log see the exchange, if any is set.
        """
        request = self.defaults.apply(call.request)
        exchange = self.observer.start(request)
        if exchange is None:  # one frame for an unobserved call (an awaited one: a coroutine)
            return self.parsed(call, await self.transport.send(request))
        return self.parsed(call, await self.observed(exchange))

    async def perform(self, step: object) -> Any:
        """Perform one effect of a flow and return its result.

        Args:
            step: A `Call`, `Sleep`, `Now` or `Notice` (logged).

        Raises:
            ConsulError: The call failed.
            TypeError: `step` is not an effect a driver performs.
        """
        if isinstance(step, Sleep):
            await AsyncStop.sleep(step.seconds)  # a watch's stop cuts it short
            return None
        if isinstance(step, Now):
            return anyio.current_time()
        if isinstance(step, Call):
            return await self.execute(step)
        if isinstance(step, Notice):
            _observe.notify(step)
            return None
        raise TypeError(f"a driver cannot perform {step!r}")

    async def answer(self, cursor: Cursor[Any], step: object) -> None:
        """Perform `step` and give its result (or its `ConsulError`) to the flow."""
        try:
            cursor.answer(await self.perform(step))
        except ConsulError as exc:
            cursor.fail(exc)

    async def run(self, flow: Flow[T]) -> T:
        """Run a flow to its end, performing each effect it yields in the consumer's task; a
        failed call is thrown into the flow. Cancelling the run closes the flow.

        Args:
            flow: The flow.

        Returns:
            The flow's result.
        """
        cursor = Cursor(flow)
        try:
            while True:
                await self.answer(cursor, cursor.next_step())
        except StopIteration as end:
            return end.value  # type: ignore[no-any-return]
        finally:
            cursor.close()

    def iterate(self, stream: Stream[V]) -> AsyncWatch[V]:
        """Iterate asynchronously over the values a stream emits, performing its effects in
        the consumer's task.
        """
        return self.iterators.add(AsyncWatch(self, stream, AsyncStop()))

    def hold(self, held: H) -> AbstractAsyncContextManager[H]:
        """Hold `held` for the length of the ``async with`` block, renewed and monitored by
        tasks; the body is cancelled when it is lost.
        """
        return supervise.hold(self, held)

    def stream(self, call: StreamCall[V]) -> streams.AsyncItems[V]:
        """Iterate asynchronously over the items of a streamed response, read as they arrive
        in the consumer's task.
        """
        return self.iterators.add(streams.AsyncItems(self, call, AsyncStop()))

    async def download(self, call: Call[T], target: AsyncSink) -> T:
        """Send the call's request and write the response's body to `target` as it arrives;
        return the call's result for the response's head.
        """
        return await streams.download(self, call, target)

    async def upload(self, call: Call[T], source: AsyncSource) -> T:
        """Send the call's request with `source` as its body, read as it is sent."""
        return await streams.upload(self, call, source)
