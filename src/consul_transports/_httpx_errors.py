"""How httpx's errors become the client's: one mapping for whole and streamed exchanges.

Rules (besides those of `_transport`: an exchange's error names the request, and never quotes
the reply):
- httpx and h11 quote the bytes they could not parse in their messages, so a protocol error is
  named by its type and fixed words, and chains nothing: neither as its cause nor as its
  context (the mapped error is raised after the block, once httpx's is no longer handled).
- A network or connection error keeps its text and its cause: the operating system's words.
- No message shows a header value (the token is one).
"""

from __future__ import annotations

from types import TracebackType

import httpx

from consul_core import ConnectError, ConsulError, Request, Timeout, TransportError, UsageError
from consul_transports._transport import (
    broke,
    cannot_connect,
    closed_unanswered,
    connect_reason,
    cut_short,
    named,
    not_http,
)

__all__ = ["MappedErrors", "disconnected"]


_UNANSWERED = "Server disconnected without sending a response"
_CUT_SHORT = ("peer closed connection", "peer unexpectedly closed connection")


def disconnected(exc: BaseException) -> bool:
    """Whether `exc` is httpx's word for a connection the agent closed before answering."""
    return isinstance(exc, httpx.RemoteProtocolError) and str(exc).startswith(_UNANSWERED)


def _caused(error: ConsulError, exc: BaseException) -> ConsulError:
    error.__cause__ = exc
    return error


def _protocol_error(request: Request, exc: httpx.HTTPError) -> ConsulError:
    """The error for an httpx error that is not the network's."""
    text = str(exc)  # read to tell what happened, never copied: it may quote the reply
    if isinstance(exc, httpx.RemoteProtocolError):
        if text.startswith(_UNANSWERED):
            return closed_unanswered(request)
        if text.startswith(_CUT_SHORT):
            return cut_short(request)
        return not_http(request, type(exc).__name__)
    if isinstance(exc, httpx.LocalProtocolError):  # its text shows the offending header value
        return TransportError("the request cannot be sent: an invalid header or target")
    # A proxy's refusal, a body that does not decode, ...: in the words of the type alone.
    return TransportError(
        f"the agent's reply to {named(request)} cannot be read ({type(exc).__name__})"
    )


def _mapped(request: Request, exc: BaseException, agent: str) -> ConsulError | None:
    """The client's error for `exc`, raised during an exchange of `request` with the agent at
    `agent` (its URL); None for what is raised as it is (a cancellation, an error of the
    client's own).
    """
    if isinstance(exc, httpx.ConnectTimeout):
        return _caused(Timeout(f"{cannot_connect(agent, request)}: timed out"), exc)
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return _caused(
            Timeout(f"the agent did not answer {named(request)} in time ({type(exc).__name__})"),
            exc,
        )
    if isinstance(exc, httpx.ConnectError):
        return _caused(
            ConnectError(f"{cannot_connect(agent, request)}: {connect_reason(exc)}"), exc
        )
    # OSError: httpcore's anyio backend lets a TLS alert's SSLError through.
    if isinstance(exc, (httpx.NetworkError, OSError)):
        return _caused(broke(request, exc), exc)
    if isinstance(exc, httpx.HTTPError):
        return _protocol_error(request, exc)
    if isinstance(exc, UnicodeEncodeError):  # a header value (the token) that is not ASCII
        return TransportError("the request cannot be sent: a header value is not ASCII")
    if isinstance(exc, RuntimeError):  # httpx's client was closed (by its owner), or misused
        return UsageError(f"the httpx client cannot send: {exc}")
    return None


class MappedErrors:
    """A block whose httpx errors become the client's (`ConsulError`), naming `request`.

    The block swallows an error it maps, and the code after it raises `error`: raised at the
    block's end, it would keep httpx's error, whose text may quote the reply, as its context::

        with MappedErrors(request, agent) as failure:
            return await client.send(...)
        raise failure.error

    Attributes:
        error: The mapped error, once the block has swallowed one.
    """

    __slots__ = ("_agent", "_request", "error")
    error: ConsulError

    def __init__(self, request: Request, agent: str) -> None:
        """Map the errors of an exchange of `request` with the agent at `agent` (its URL)."""
        self._request = request
        self._agent = agent

    def __enter__(self) -> MappedErrors:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if exc is None or (error := _mapped(self._request, exc, self._agent)) is None:
            return False
        self.error = error
        return True
