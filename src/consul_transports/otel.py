"""OpenTelemetry tracing of a client's requests, built on its event hooks: one ``CLIENT`` span
per HTTP request, a watch's blocking reads included (a span per read, not per watch).

Needs the ``otel`` extra (``pip install 'consul-sansio[otel]'``: ``opentelemetry-api``); an SDK,
configured by the application, records the spans.

Rules (OpenTelemetry's semantic conventions for HTTP clients):
- The span is named by the method (``GET``) and has the attributes ``http.request.method``,
  ``url.full`` (the agent's address and `Request.shown_target`: no secret of the path, and the
  token travels in a header, never in a span), ``server.address``, ``server.port`` and, once
  answered, ``http.response.status_code``.
- A 5xx status, or an exception instead of a response (``error.type``: the status, or the
  exception's class name), sets the span's status to error; a 4xx does not (the caller may
  expect it: a missing key is a 404).
- The span starts as the current span's child, when there is one.
- The span of a request is carried from its ``request`` hook to its ``response`` (``error``)
  hook in a `contextvars.ContextVar`: the hooks of one request run in the same task (thread)
  and context, one request at a time, so concurrent requests never mix their spans.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, TracerProvider

from consul_core import Request, Response
from consul_transports._async.client import AsyncConsul
from consul_transports._async.driver import AnyioDriver
from consul_transports._config import ClientConfig
from consul_transports._observe import AsyncEventHooks, EventHooks
from consul_transports._sync.client import SyncConsul
from consul_transports._sync.driver import BlockingDriver

__all__ = ["instrument"]

# The spans of the requests in flight in this context, innermost last.
_open: ContextVar[tuple[Span, ...]] = ContextVar("consul_transports.otel.spans", default=())


class _Spans:
    """Starts and ends the span of each request of one client."""

    def __init__(self, settings: ClientConfig, tracer_provider: TracerProvider | None) -> None:
        self._tracer = trace.get_tracer("consul_transports", tracer_provider=tracer_provider)
        self._base = settings.base_url
        self._server: dict[str, Any] = (
            {"server.address": settings.uds}
            if settings.uds is not None
            else {"server.address": settings.host, "server.port": settings.port}
        )

    def request(self, request: Request) -> None:
        span = self._tracer.start_span(
            request.method,
            kind=SpanKind.CLIENT,
            attributes={
                "http.request.method": request.method,
                "url.full": self._base + request.shown_target,
                **self._server,
            },
        )
        _open.set((*_open.get(), span))

    def response(self, request: Request, response: Response) -> None:
        span = _pop()
        if span is None:
            return
        span.set_attribute("http.response.status_code", response.status)
        if response.status >= 500:
            span.set_attribute("error.type", str(response.status))
            span.set_status(Status(StatusCode.ERROR))
        span.end()

    def error(self, request: Request, error: BaseException) -> None:
        span = _pop()
        if span is None:
            return
        span.set_attribute("error.type", type(error).__qualname__)
        span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        span.end()

    def hooks(self) -> EventHooks:
        return {"request": [self.request], "response": [self.response], "error": [self.error]}

    def async_hooks(self) -> AsyncEventHooks:
        async def request(request: Request) -> None:
            self.request(request)

        async def response(request: Request, response: Response) -> None:
            self.response(request, response)

        async def error(request: Request, error: BaseException) -> None:
            self.error(request, error)

        return {"request": [request], "response": [response], "error": [error]}


def _pop() -> Span | None:
    """The span of the request that just ended (None: it started before the instrumentation)."""
    spans = _open.get()
    if not spans:
        return None
    _open.set(spans[:-1])
    return spans[-1]


def instrument(
    client: AsyncConsul | SyncConsul, tracer_provider: TracerProvider | None = None
) -> None:
    """Trace every request of `client` from now on: the span hooks are added closest to the
    transport (the span starts after the client's own ``request`` hooks and ends before its
    ``response`` and ``error`` hooks), so that a hook of the client's that raises never leaves
    a span open.

    Args:
        client: A `consul_transports.asyncio.Consul`, `consul_transports.trio.Consul` or
            `consul_transports.sync.Consul`.
        tracer_provider: Where the spans go (default: OpenTelemetry's global provider).

    Raises:
        TypeError: `client` is not one of this package's clients.
    """
    driver: object = getattr(client, "driver", None)
    if not isinstance(driver, (AnyioDriver, BlockingDriver)):
        raise TypeError(f"instrument takes a client of consul_transports, not {client!r}")
    spans = _Spans(client.settings, tracer_provider)
    if isinstance(driver, AnyioDriver):
        driver.observer.add(spans.async_hooks(), innermost=True)
    else:
        driver.observer.add(spans.hooks(), innermost=True)
