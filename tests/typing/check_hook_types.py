"""Static checks (mypy --strict and pyright): event hooks, plain functions for the sync client
and async ones for the asyncio and trio clients, and the OpenTelemetry instrumentation.
"""

from __future__ import annotations

from consul_core import Request, Response
from consul_transports import AsyncEventHooks, EventHooks
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.otel import instrument
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def on_request(request: Request) -> None:
    print(request.method, request.shown_target)


def on_response(request: Request, response: Response) -> None:
    print(request.method, response.status)


def on_error(request: Request, error: BaseException) -> None:
    print(request.method, error)


async def on_request_async(request: Request) -> None:
    on_request(request)


async def on_response_async(request: Request, response: Response) -> None:
    on_response(request, response)


async def on_error_async(request: Request, error: BaseException) -> None:
    on_error(request, error)


def sync_client() -> None:
    hooks: EventHooks = {"request": [on_request], "response": [on_response]}
    client = SyncConsul(event_hooks={**hooks, "error": [on_error]})
    instrument(client)


def async_clients() -> None:
    hooks: AsyncEventHooks = {
        "request": [on_request_async],
        "response": [on_response_async],
        "error": [on_error_async],
    }
    instrument(AsyncioConsul(event_hooks=hooks))
    instrument(TrioConsul(event_hooks={"response": [on_response_async]}))
