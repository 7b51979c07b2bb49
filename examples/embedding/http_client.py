"""`consul_core` embedded with the standard library's `http.client`: a blocking driver that
performs calls, runs flows (a lock's steps, a lease's renewal) and iterates streams (watches),
as docs/guide/embedding.md explains. No part of consul_transports is used.

    agent = Agent("127.0.0.1", 8500, ClientDefaults(token="..."))
    agent.perform(kv.set("greeting", b"hello"))
    entry, meta = agent.perform(kv.get("greeting"))
    for entry, meta in agent.iterate(watch(*blocking_read(kv.get, ("greeting",), {}))):
        ...

Tested against a real agent by tests/embedding/test_http_client.py.
"""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Iterator
from typing import Any, TypeVar

from consul_core import (
    Call,
    ClientDefaults,
    ConnectError,
    ConsulError,
    Request,
    Response,
    Sleep,
    Timeout,
    TransportError,
)
from consul_core.flows import Cursor, Emit, Flow, Notice, Now, Stream

T = TypeVar("T")
V = TypeVar("V")

log = logging.getLogger(__name__)


class Agent:
    """A Consul agent reached over plain HTTP, one connection per request."""

    def __init__(
        self, host: str, port: int, defaults: ClientDefaults, timeout: float = 10.0
    ) -> None:
        """
        Args:
            host: The agent's address.
            port: Its HTTP port.
            defaults: What every request gets (the token, a datacenter, ...).
            timeout: The read timeout of a request that gives none (a blocking query does).
        """
        self.host, self.port, self.defaults, self.timeout = host, port, defaults, timeout

    def send(self, request: Request) -> Response:
        """Send `request` with the client's defaults and return the agent's reply, whatever
        its status.

        Raises:
            ConnectError: No connection could be made.
            Timeout: The agent did not answer within the request's timeout.
            TransportError: The connection broke. These three are what the flows ride out
                (`consul_core.flows.RETRYABLE`): an `OSError` would end them.
        """
        sent = self.defaults.apply(request)  # the token header, the dc parameter, ...
        shown = f"{sent.method} {sent.shown_path}"  # never a secret
        # http.client asks for no compression itself (Accept-Encoding: identity).
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=sent.timeout or self.timeout
        )
        try:
            try:
                connection.connect()
            except OSError as exc:
                raise ConnectError(f"cannot connect to send {shown}: {exc}") from exc
            connection.request(sent.method, sent.target, sent.body, dict(sent.headers))
            reply = connection.getresponse()
            return Response(reply.status, reply.getheaders(), reply.read())
        except TimeoutError:
            raise Timeout(f"no answer to {shown} within the timeout") from None  # (a bare timeout)
        except (OSError, http.client.HTTPException) as exc:
            # Only a read (`RESENDABLE_METHODS`) may be sent again: a write may have been
            # applied. The flows decide; here it is told.
            raise TransportError(f"{shown} failed: {type(exc).__name__}") from exc
        finally:
            connection.close()

    def perform(self, call: Call[T]) -> T:
        """`call`'s result.

        Raises:
            ResponseError: The agent refused it (typed, with no secret in it).
            TransportError: See `send`.
        """
        return self.defaults.parse(call, self.send(call.request))

    def _step(self, cursor: Cursor[Any], step: Any) -> None:
        """Perform one effect of a flow and give the flow its result (or its error)."""
        try:
            if isinstance(step, Call):
                cursor.answer(self.perform(step))
            elif isinstance(step, Sleep):
                time.sleep(step.seconds)
                cursor.answer(None)
            elif isinstance(step, Now):
                cursor.answer(time.monotonic())
            elif isinstance(step, Notice):  # a backoff, a late renewal, ...: for an operator
                log.warning("%s: %s", step.kind.value, step.message)
                cursor.answer(None)
            else:
                raise TypeError(f"not an effect this driver knows: {step!r}")
        except ConsulError as error:
            cursor.fail(error)  # thrown into the flow, which may handle it

    def run(self, flow: Flow[T]) -> T:
        """Run `flow` (a lock's `open()`, a lease's `renew()`, ...) to its end."""
        cursor = Cursor(flow)
        try:
            while True:
                self._step(cursor, cursor.next_step())
        except StopIteration as end:
            result: T = end.value
            return result
        finally:
            cursor.close()

    def iterate(self, stream: Stream[V]) -> Iterator[V]:
        """The values `stream` (a `watch`) hands out, for as long as they are taken."""
        cursor = Cursor(stream)
        try:
            while True:
                step = cursor.next_step()
                if isinstance(step, Emit):
                    cursor.answer(None)
                    yield step.value
                else:
                    self._step(cursor, step)
        finally:
            cursor.close()  # leaving the loop stops the watch
