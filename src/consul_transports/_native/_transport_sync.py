# Generated from src/consul_transports/_native/_transport_async.py
# by scripts/unasync.py: do not edit by hand.
"""The native blocking transport's request path: a call over its connection pool (a kept-alive
connection reused, a new one else, a request sent once more only when the agent closed a reused
connection unanswered), and a streamed request on a new connection.

A call that timed out without a byte of its answer closes the pool's idle connections too: the
way to the agent may have forgotten its connections without a word (a NAT, a firewall that
restarted), and each dead one would cost the next calls their whole timeout.
"""

from __future__ import annotations

import time
from functools import partial

from consul_core import Request, Response
from consul_transports import _observe
from consul_transports._limits import given_up
from consul_transports._native._policy import Stage, broken, read_timeout, timed_out
from consul_transports._native._stream_sync import (
    NativeBody,
    read_head,
    send_all,
    send_upload,
)
from consul_transports._native._sync import ConnectionPool, _Connection
from consul_transports._native._wire import ConnectionLost, Exchange, encode_request
from consul_transports._streams import CHUNKED, SyncUpload

__all__ = ["NativeTransport"]


class NativeTransport(ConnectionPool):
    """A blocking transport: HTTP/1.1 over a bounded keep-alive pool of sockets (TCP, TLS or a
    unix socket), responses parsed by httptools.

    A call's timeout bounds all of it, as Go's ``http.Client.Timeout`` does: the wait for a
    free connection, connecting, sending and reading the whole response.
    """

    def send(self, request: Request) -> Response:
        """Send one request and read the whole response, within the request's timeout.

        Raises:
            ConnectError: No connection could be made.
            Timeout: The agent did not answer in time (or no connection became free).
            TransportError: The connection broke or the response was not valid HTTP.
        """
        prepared = self._prepared.get(id(request))
        if prepared is None or prepared[0] is not request:  # (a pickled pool: another's id)
            prepared = self._prepare(request)
        _, payload, timeout, held = prepared
        if self._lingering.entries:
            self._lingering.release_due()
        gate = self._gate  # the share is given back to it, should the pool start afresh
        if held:
            gate.enter(request, timeout)
        lingers = False
        # One frame for the whole call (a call costs more than the test of `held` twice).
        try:
            deadline = time.monotonic() + timeout
            generation = self._generation
            stage = Stage.POOL
            try:
                connection = self._checkout(deadline, request.method)
                kept: _Connection | None = None
                try:
                    if connection is not None:
                        stage = Stage.READ
                        try:
                            response, kept = self._exchange(
                                connection, request, payload, deadline, held, "reused"
                            )
                            return response
                        except ConnectionLost:
                            _observe.resent(
                                request, "the agent closed a kept-alive connection unanswered"
                            )
                    stage = Stage.CONNECT
                    connection = self._connect(request, timeout, deadline)
                    stage = Stage.READ
                    response, kept = self._exchange(
                        connection, request, payload, deadline, held, "new"
                    )
                    return response
                except BaseException as exc:
                    # A blocking query sent and given up: the agent holds it, and its
                    # connection, until its wait ends (`_limits.Lingering`).
                    lingers = held and stage is Stage.READ and given_up(exc)
                    raise
                finally:
                    if lingers:
                        checkin = partial(self._checkin, None, generation)
                        self._lingering.keep(deadline, checkin, gate.leave)
                    else:
                        self._checkin(kept, generation)
            except TimeoutError:
                raise timed_out(stage, self._endpoint, request, timeout) from None
        finally:
            if held and not lingers:
                gate.leave()

    def open_stream(
        self, request: Request, upload: SyncUpload | None = None, *, endless: bool = False
    ) -> NativeBody[_Connection]:
        """As `SyncStreamingTransport.open_stream`. A streamed request always goes out on a new
        connection (an idle one in its way is closed), so that a body read once is never sent
        again.
        """
        framing = None
        if upload is not None:
            framing = CHUNKED if upload.length is None else f"Content-Length: {upload.length}"
        payload = encode_request(request, self._endpoint.host_header, framing=framing)
        timeout = read_timeout(self._config, request)
        # The stream gives its slot (and share) back to the counts it took them from, gone if
        # the pool starts afresh before it ends (a fork, a new event loop).
        generation, gate = self._generation, self._gate
        if endless:
            gate.enter(request, timeout)
        try:
            connection, exchange = self._open_stream(request, payload, upload, timeout, generation)
        except BaseException:
            if endless:
                gate.leave()
            raise
        if _observe.tracking:
            _observe.connection.set("new")  # a stream always goes out on a new connection

        def release(kept: _Connection | None) -> None:
            if endless:
                gate.leave()
            self._checkin(kept, generation)

        return NativeBody(
            connection, exchange, request, None if endless else timeout, release, awaited=False
        )

    def _open_stream(
        self,
        request: Request,
        payload: bytes,
        upload: SyncUpload | None,
        timeout: float,
        generation: int,
    ) -> tuple[_Connection, Exchange]:
        """A new connection that carried `payload` (and `upload`), and its exchange, the
        response's head read; the slot of the pool stays taken.
        """
        stage = Stage.POOL
        try:
            idle = self._checkout(time.monotonic() + timeout, None)
            connection: _Connection | None = None
            try:
                if idle is not None:
                    idle.close()
                stage = Stage.CONNECT
                connection = self._connect(request, timeout, time.monotonic() + timeout)
                stage = Stage.READ
                exchange = connection.exchange.begin(payload)
                try:
                    send_all(connection, payload, time.monotonic() + timeout)
                    exchange.sent(len(payload))
                    if upload is not None:
                        send_upload(connection, upload, timeout)
                except OSError as exc:  # the agent may have answered (and closed) early
                    if isinstance(exc, TimeoutError):
                        raise
                    exchange.write_failed(exc)
                read_head(connection, exchange, time.monotonic() + timeout)
            except BaseException as exc:
                if connection is not None:
                    connection.close()
                self._checkin(None, generation)
                if (error := broken(request, exc)) is None:
                    raise
                raise error from exc
        except TimeoutError:
            raise timed_out(stage, self._endpoint, request, timeout) from None
        return connection, exchange

    def _exchange(
        self,
        connection: _Connection,
        request: Request,
        payload: bytes,
        deadline: float,
        held: bool,
        how: str,
    ) -> tuple[Response, _Connection | None]:
        """The response, and the connection if it may be reused (else it is closed); `held`,
        whether the request is a blocking query; `how` the connection came: ``"reused"``
        (kept alive from an earlier call) or ``"new"``.

        Raises:
            ConnectionLost: The agent closed a reused connection unanswered, and the request may
                be sent again.
            TimeoutError: The deadline passed (the connection is closed).
            TransportError: The connection broke, or the response was not valid HTTP.
        """
        exchange = connection.exchange.begin(payload, request.method == "HEAD")
        try:
            if held:
                with self._held(connection):
                    connection.run(exchange, deadline, held=True)
            else:
                connection.run(exchange, deadline)
        except BaseException as exc:  # an interruption too: the response is unread
            connection.close()
            if isinstance(exc, TimeoutError) and not exchange.started:
                self._drop_idle()  # they may be dead too (see the rules above)
            if (error := broken(request, exc, resendable=how == "reused")) is None:
                raise
            raise error from exc
        if _observe.tracking:
            _observe.connection.set(how)
        if exchange.reusable:
            return exchange.response(), connection
        connection.close()
        return exchange.response(), None
