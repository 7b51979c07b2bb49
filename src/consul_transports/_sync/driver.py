"""The sync driver: executes calls and runs flows over a blocking transport."""

from __future__ import annotations

import time
from typing import Any, TypeVar

from consul_core import Call, ClientDefaults, ConsulError, Flow, Sleep
from consul_transports._transport import SyncTransport

__all__ = ["SyncDriver"]

T = TypeVar("T")


class SyncDriver:
    """Performs `Call`s and flows, blocking the calling thread. Safe to share between threads
    when its transport is.
    """

    def __init__(self, transport: SyncTransport, defaults: ClientDefaults) -> None:
        self.transport = transport
        self.defaults = defaults

    def execute(self, call: Call[T]) -> T:
        """Send the call's request (with the client's defaults) and parse the response."""
        return call.parse(self.transport.send(self.defaults.apply(call.request)))

    def run(self, flow: Flow[T]) -> T:
        """Run a flow to its end, performing each effect it yields; a failed call is
        thrown into the flow in this thread.
        """
        result: Any = None
        error: ConsulError | None = None
        try:
            while True:
                effect = flow.send(result) if error is None else flow.throw(error)
                result, error = None, None
                try:
                    if isinstance(effect, Sleep):
                        time.sleep(effect.seconds)
                    else:
                        result = self.execute(effect)
                except ConsulError as exc:
                    error = exc
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
