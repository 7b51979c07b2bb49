"""What the async and sync drivers share (`_async/driver.py`, and `_sync/driver.py` generated
from it): what they hold, and how a response becomes a call's result; each side only performs,
awaiting or not.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from consul_core import Call, ClientDefaults, ResponseError
from consul_core.flows import Pacing
from consul_core.http import Request, Response
from consul_transports._observe import Exchange, Observer
from consul_transports._pacing import driver_pacing

__all__ = ["DriverBase"]

R = TypeVar("R")
T = TypeVar("T")
Transport = TypeVar("Transport")


class DriverBase(Generic[Transport, R]):
    """A driver's parts.

    Attributes:
        transport: The transport requests go through.
        defaults: The client's defaults, added to each request.
        pacing: The pace of the helpers' loops.
        observer: The event hooks (returning `R`) and the request log.
    """

    def __init__(
        self,
        transport: Transport,
        defaults: ClientDefaults,
        pacing: Pacing | None,
        observer: Observer[R],
    ) -> None:
        self.transport = transport
        self.defaults = defaults
        self.pacing = driver_pacing(pacing)
        self.observer = observer

    def observing(self, call: Call[Any]) -> tuple[Request, Exchange[R]]:
        """The call's request (with the client's defaults) and its observation, made even when
        nothing observes it (for a path that is not hot, such as a stream's).
        """
        request = self.defaults.apply(call.request)
        exchange = self.observer.start(request)
        return request, Exchange(request, None, False) if exchange is None else exchange

    def parsed(self, call: Call[T], response: Response) -> T:
        """The call's result for `response` (an error's secrets redacted, the client's too)."""
        try:
            return call.parse(response)
        except ResponseError as error:
            # The call knows only a per-call token; the client's secrets must not leak either.
            self.defaults.redact(error)
            raise
