"""The `Transport` seam: everything above it sends `Request`s and gets `Response`s, and knows
nothing of httpx or sockets.

A transport moves bytes: it sends ``request.method`` to ``request.target`` with the request's
headers and body, honours ``request.timeout`` (or its own default), and maps its own failures
to `ConnectError`, `Timeout` or `TransportError`. It makes no Consul decision.

Rules (of the errors for a failed exchange, which both transports name alike here):
- They name the request's method and path (`Request.shown_path`: its secrets hidden).
- They never quote the reply: a hostile or echoing server can fill it with the token and the
  ``Authorization`` header. What went wrong is said in fixed words; only a network error's own
  text (the operating system's words) is shown.
"""

from __future__ import annotations

import os
import socket
import ssl
from typing import Protocol, runtime_checkable

from consul_core import Request, Response, TransportError

__all__ = [
    "AsyncTransport",
    "SyncTransport",
    "broke",
    "cannot_connect",
    "closed_unanswered",
    "connect_reason",
    "cut_short",
    "named",
    "not_http",
    "os_reason",
    "reason",
]


def named(request: Request) -> str:
    """How a message names `request`: its method and its path, secrets hidden."""
    return f"{request.method} {request.shown_path}"


def cannot_connect(agent: str, request: Request) -> str:
    """How a message begins that says no connection to `agent` (its URL) could be made to send
    `request`.
    """
    return f"cannot connect to the agent at {agent} to send {named(request)}"


def closed_unanswered(request: Request) -> TransportError:
    """The error for a connection the agent closed before any byte of its reply to `request`."""
    return TransportError(f"the agent closed the connection without answering {named(request)}")


def reason(exc: BaseException) -> str:
    """What a network error says: its text, else the first of its causes' (httpx's may have
    none of its own), else its type's name.
    """
    seen: BaseException | None = exc
    for _ in range(5):  # a chain is short; never an endless one
        if seen is None:
            break
        if str(seen):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return type(exc).__name__


def os_reason(exc: BaseException) -> str:
    """What the operating system said of a connection that could not be made: the words of the
    first `OSError` with an error number in `exc`, its causes, or the exception groups of an
    event loop's attempts at each address (the same words whatever the event loop and the
    transport: ``Connection refused``), else `reason`.
    """
    found = _os_error(exc)
    if found is None:
        return reason(exc)
    number, error = found
    if isinstance(error, socket.gaierror) and error.strerror:
        return error.strerror  # getaddrinfo's own numbers (EAI_*), which os.strerror does not know
    return os.strerror(number)


# TLS failures that a setting mends: OpenSSL's words, and what to look at. An agent that
# refuses the client's certificate (or its lack of one) says so after the handshake under TLS
# 1.3, so its alert comes with the first read.
_TLS_HINTS = (
    (
        ("ALERT_BAD_CERTIFICATE", "ALERT_CERTIFICATE_REQUIRED"),
        "the agent refused the client certificate: see cert= or CONSUL_CLIENT_CERT",
    ),
    (
        ("WRONG_VERSION_NUMBER",),
        "the agent answered in plain HTTP: use an http:// address, or the agent's HTTPS port",
    ),
    (("mismatch, certificate is not valid for",), "see server_name= or CONSUL_TLS_SERVER_NAME"),
)


def _hinted(text: str) -> str:
    """`text`, and the hint of `_TLS_HINTS` for the TLS failure it says, if any."""
    for signs, hint in _TLS_HINTS:
        if any(sign in text for sign in signs):
            return f"{text}; {hint}"
    return text


def connect_reason(exc: BaseException) -> str:
    """`os_reason`, and a hint when it is a TLS failure that a setting mends (a plain HTTP
    port given an https address, a certificate for another name).
    """
    return _hinted(os_reason(exc))


def _os_error(exc: BaseException | None, depth: int = 0) -> tuple[int, OSError] | None:
    """The first `OSError` with an error number in `exc`'s chain, and its number."""
    if exc is None or depth > 5:  # a chain is short; never an endless one
        return None
    if isinstance(exc, OSError) and exc.errno and not isinstance(exc, ssl.SSLError):
        return exc.errno, exc
    for inner in getattr(exc, "exceptions", ()):  # an exception group
        found = _os_error(inner, depth + 1)
        if found is not None:
            return found
    return _os_error(exc.__cause__ or exc.__context__, depth + 1)


def broke(request: Request, exc: BaseException) -> TransportError:
    """The error for a connection that broke during `request` with `exc`, a network error
    (whose text is the operating system's).
    """
    text = reason(exc)
    detail = _hinted(f"{type(exc).__name__}: {text}" if text != type(exc).__name__ else text)
    return TransportError(f"the connection to the agent broke during {named(request)} ({detail})")


def cut_short(request: Request) -> TransportError:
    """The error for a reply to `request` that the agent ended by closing the connection."""
    return TransportError(
        f"the agent closed the connection in the middle of its reply to {named(request)}"
    )


def not_http(request: Request, reason: str) -> TransportError:
    """The error for a reply to `request` that is not valid HTTP/1.1; `reason`, what is wrong
    with it, in fixed words that quote none of it.
    """
    return TransportError(f"the agent's reply to {named(request)} is not valid HTTP/1.1 ({reason})")


@runtime_checkable
class SyncTransport(Protocol):
    """A blocking transport."""

    def send(self, request: Request) -> Response:
        """Send one request and return the whole response."""
        ...

    def close(self) -> None:
        """Release connections; the transport is not used afterwards."""
        ...


@runtime_checkable
class AsyncTransport(Protocol):
    """An async transport, for asyncio and trio alike (written against anyio)."""

    async def send(self, request: Request) -> Response:
        """Send one request and return the whole response."""
        ...

    async def aclose(self) -> None:
        """Release connections; the transport is not used afterwards."""
        ...
