# Generated from src/consul_transports/_async/driver.py
# by scripts/unasync.py: do not edit by hand.
"""The sync driver: executes calls and runs flows over a blocking transport."""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from consul_core import Call, ConsulError, Response, Sleep
from consul_core.flows import Cursor, Flow, Held, Notice, Now, Stream
from consul_core.streaming import Sink, Source, StreamCall
from consul_transports import _observe
from consul_transports._driver import DriverBase
from consul_transports._observe import Exchange, HookCall
from consul_transports._stop import Stop
from consul_transports._sync import stream as streams
from consul_transports._sync import supervise
from consul_transports._sync.watch import Watch
from consul_transports._transport import SyncTransport

__all__ = ["BlockingDriver"]

T = TypeVar("T")
V = TypeVar("V")
H = TypeVar("H", bound=Held)


class BlockingDriver(DriverBase[SyncTransport, object]):
    """Performs `Call`s and flows, blocking the calling thread (safe to share between
    threads when its transport is); its parts are those of `DriverBase`.
    """

    def observed(self, exchange: Exchange[object]) -> Response:
        """Send the request of `exchange` through the transport, with the event hooks and the
        request log.
        """
        request = exchange.request
        self.call_hooks(exchange.before())
        try:
            response = self.transport.send(request)
        except BaseException as exc:
            self.failed(exchange, exc)
            raise
        self.call_hooks(exchange.answered(response))
        return response

    def call_hooks(self, calls: Iterable[HookCall[object]]) -> None:
        """Make the event hook calls of an `Exchange`, in order."""
        for hook, args in calls:
            hook(*args)

    def failed(self, exchange: Exchange[object], exc: BaseException) -> None:
        """Make the ``error`` hook calls of `exchange`, failed with `exc`. After a
        cancellation they run shielded from it (`_observe.shielded`), and a hook that raises
        is logged, not raised: its error would replace the cancellation, which the scope that
        cancelled must see. Otherwise a hook's error reaches the caller, as documented.
        """
        try:
            with _observe.shielded(exc):
                self.call_hooks(exchange.failed(exc))
        except Exception:
            if not _observe.cancellation(exc):
                raise
            _observe.hook_failed(exchange.request)

    def execute(self, call: Call[T]) -> T:
        """Send the call's request (with the client's defaults) and parse the response; the
        event hooks and the request log see the exchange, if any is set.
        """
        request = self.defaults.apply(call.request)
        exchange = self.observer.start(request)
        if exchange is None:  # one frame for an unobserved call (an awaited one: a coroutine)
            return self.parsed(call, self.transport.send(request))
        return self.parsed(call, self.observed(exchange))

    def perform(self, step: object) -> Any:
        """Perform one effect of a flow and return its result.

        Args:
            step: A `Call`, `Sleep`, `Now` or `Notice` (logged).

        Raises:
            ConsulError: The call failed.
            TypeError: `step` is not an effect a driver performs.
        """
        if isinstance(step, Sleep):
            Stop.sleep(step.seconds)  # a watch's stop cuts it short
            return None
        if isinstance(step, Now):
            return time.monotonic()
        if isinstance(step, Call):
            return self.execute(step)
        if isinstance(step, Notice):
            _observe.notify(step)
            return None
        raise TypeError(f"a driver cannot perform {step!r}")

    def answer(self, cursor: Cursor[Any], step: object) -> None:
        """Perform `step` and give its result (or its `ConsulError`) to the flow."""
        try:
            cursor.answer(self.perform(step))
        except ConsulError as exc:
            cursor.fail(exc)

    def run(self, flow: Flow[T]) -> T:
        """Run a flow to its end, performing each effect it yields in the caller's thread; a
        failed call is thrown into the flow.

        Args:
            flow: The flow.

        Returns:
            The flow's result.
        """
        cursor = Cursor(flow)
        try:
            while True:
                self.answer(cursor, cursor.next_step())
        except StopIteration as end:
            return end.value  # type: ignore[no-any-return]
        finally:
            cursor.close()

    def iterate(self, stream: Stream[V]) -> Watch[V]:
        """Iterate over the values a stream emits, performing its effects in
        the caller's thread.
        """
        return self.iterators.add(Watch(self, stream, Stop()))

    def hold(self, held: H) -> AbstractContextManager[H]:
        """Hold `held` for the length of the ``with`` block, renewed and monitored by
        threads; the body cannot be interrupted: it should check `.lost`.
        """
        return supervise.hold(self, held)

    def stream(self, call: StreamCall[V]) -> streams.Items[V]:
        """Iterate over the items of a streamed response, read as they arrive
        in the caller's thread.
        """
        return self.iterators.add(streams.Items(self, call, Stop()))

    def download(self, call: Call[T], target: Sink) -> T:
        """Send the call's request and write the response's body to `target` as it arrives;
        return the call's result for the response's head.
        """
        return streams.download(self, call, target)

    def upload(self, call: Call[T], source: Source) -> T:
        """Send the call's request with `source` as its body, read as it is sent."""
        return streams.upload(self, call, source)
