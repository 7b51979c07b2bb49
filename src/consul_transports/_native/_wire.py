"""HTTP/1.1 on the wire, without I/O: a `Request` becomes bytes, received bytes become a
`Response` (parsed by httptools), for the sync and async native transports alike.

Rules:
- A request is written in one piece, head and body together; its method, target and header
  names and values are checked so that nothing a caller passes can split the message.
  An error names the header, never its value (the token is a header value).
- Responses are framed and decoded (Content-Length, chunked, until-close) by httptools; this
  module only collects what its callbacks hand over.
- A connection is reused only after a complete response that allows keep-alive and had nothing
  after it, and only if the whole request could be sent.
- `Exchange` holds what a failure means, so both transports decide alike: the connection ending
  before any byte of the response is `ConnectionLost` (the pool may retry); ending in the middle
  of one, or bytes that are not HTTP, is `BadResponse`, which the transport raises as a
  `TransportError` naming the request (`_policy.broken`). Neither quotes a byte received.
"""

from __future__ import annotations

import re

import httptools

from consul_core import Headers, Request, Response, TransportError
from consul_transports._httpx import USER_AGENT

__all__ = ["BadResponse", "ConnectionLost", "Exchange", "ResponseReader", "encode_request"]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]*")
_KNOWN_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"})
_USER_AGENT = f"User-Agent: {USER_AGENT}\r\n"
_IDENTITY = "Accept-Encoding: identity\r\n"
# Methods whose requests carry a body by nature: an empty one is announced, as httpx does.
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_FRAMING = frozenset({"content-length", "transfer-encoding"})
_NO_HEADERS = Request("GET", "/").headers  # what a request without headers shares


class _Unexpected(Exception):
    """Bytes followed the complete response."""


class ConnectionLost(Exception):
    """The agent closed the connection before any byte of the response arrived (on a reused
    connection: it closed it while idle, so the request may be sent again on a new one).

    Attributes:
        sent: Whether any byte of the request had been sent.
    """

    def __init__(self, *, sent: bool) -> None:
        super().__init__("connection lost")
        self.sent = sent


class BadResponse(Exception):
    """The response is not valid HTTP/1.1, or the agent closed the connection in the middle of
    it.

    Attributes:
        reason: What is not valid, in llhttp's fixed words (which quote none of the bytes); None
            for a response cut short.
    """

    def __init__(self, reason: str | None) -> None:
        super().__init__(reason or "the response was cut short")
        self.reason = reason


def _invalid(what: str) -> TransportError:
    return TransportError(f"the request cannot be sent: {what}")


def encode_request(request: Request, host: str, *, framing: str | None = None) -> bytes:
    """The bytes of `request` as an HTTP/1.1 message to `host` (the ``Host`` header's value);
    `framing`, the header line that frames a body sent after it (``Content-Length: <n>`` or
    ``Transfer-Encoding: chunked``).

    Raises:
        TransportError: The method, target or a header cannot be sent as HTTP/1.1.
    """
    method = request.method
    target = request.target
    if method not in _KNOWN_METHODS and _TOKEN.fullmatch(method) is None:
        raise _invalid(f"invalid method {method!r}")
    # A "/" and printable ASCII but the space (str methods: a regular expression costs more).
    if not (target[:1] == "/" and target.isascii() and target.isprintable()) or " " in target:
        raise _invalid(f"invalid request target {request.path!r}")
    headers = request.headers
    if headers is not _NO_HEADERS and headers:  # (the shared empty one: no call of __len__)
        lines = [f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n"]
        if "user-agent" not in headers:
            lines.append(_USER_AGENT)
        if "accept-encoding" not in headers:
            lines.append(_IDENTITY)
        for name, value in headers.items():
            if _TOKEN.fullmatch(name) is None:
                raise _invalid(f"invalid header name {name!r}")
            if _VALUE.fullmatch(value) is None:
                raise _invalid(f"header {name} has an invalid value")
            lines.append(f"{name}: {value}\r\n")
        text = "".join(lines)
    else:  # the common case: one string for the whole head
        text = f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n{_USER_AGENT}{_IDENTITY}"
    body = request.body
    if body is not None:
        text += f"Content-Length: {len(body)}\r\n\r\n"
    elif framing is not None:
        text += f"{framing}\r\n\r\n"
    elif method in _BODY_METHODS:
        text += "Content-Length: 0\r\n\r\n"
    else:
        text += "\r\n"
    try:
        head = text.encode("ascii")
    except UnicodeEncodeError:
        raise _invalid("a header value is not ASCII") from None
    return head + body if body else head


class ResponseReader:
    """Collects the responses a connection receives, one at a time, through httptools'
    callbacks. One reader (and one llhttp parser) serves a connection for its whole life, as
    the connection's requests follow each other: `reset` prepares it for the next response.

    Attributes:
        started: Whether any byte of the response has arrived.
        complete: Whether the whole response has arrived.
    """

    __slots__ = (
        "_body",
        "_fields",
        "_head_only",
        "_headers",
        "_keep_alive",
        "_parser",
        "_spoiled",
        "_status",
        "_until_eof",
        "complete",
        "on_body",
        "on_header",
        "started",
    )

    def __init__(self, *, head_only: bool = False) -> None:
        """Prepare for a response; `head_only` for the reply to a HEAD request (no body)."""
        self._fields: dict[bytes, bytes] = {}
        self._body: list[bytes] = []
        # httptools calls these for each header and each piece of the body: bound C methods
        # cost no Python frame. A name sent twice keeps its last value, as `Headers` does.
        self.on_header = self._fields.__setitem__
        self.on_body = self._body.append
        self._parser = httptools.HttpResponseParser(self)
        self._head_only = False
        self.reset(head_only)

    def reset(self, head_only: bool = False) -> None:
        """Prepare for the next response on the same connection (after a reusable one);
        `head_only` for the reply to a HEAD request.
        """
        if head_only or self._head_only:
            # llhttp cannot be told that a reply has no body: after the reply to a HEAD it
            # would wait for one, so a HEAD's reply gets a parser of its own.
            self._parser = httptools.HttpResponseParser(self)
        self._head_only = head_only
        self._fields.clear()
        self._body.clear()
        self._headers: Headers | None = None
        self._status = 0
        # Spoiled: bytes came after the response, or (an exchange's) the request could not all
        # be sent: either way the connection is not reused.
        self._spoiled = self._until_eof = self._keep_alive = False
        self.complete = self.started = False

    # httptools callbacks (besides on_header and on_body)

    def on_headers_complete(self) -> None:
        if self.complete:
            # The head of a second message after ours, which no request asked for: stop
            # parsing here (`feed` turns this into an unusable connection). Its status line
            # was parsed, so ours is the one taken below, not the parser's.
            raise _Unexpected
        self._status = self._parser.get_status_code()
        # Taken now: trailers of a chunked body are dropped, as httpx does.
        self._headers = Headers.from_fields(self._fields)
        # Asked now: llhttp forgets the message's keep-alive once the message is complete.
        self._keep_alive = self._parser.should_keep_alive()
        if self._head_only:
            self.complete = True

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200:
            # An interim response (100 Continue): the real one follows.
            self._fields.clear()
            self._headers = None
            return
        self.complete = True

    # feeding

    def feed(self, data: bytes | bytearray | memoryview) -> bool:
        """Parse received bytes; return whether the response is complete.

        Raises:
            BadResponse: The bytes are not a valid HTTP response.
        """
        self.started = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            interrupt = exc.__context__
            if interrupt is not None and not isinstance(interrupt, Exception):
                # A KeyboardInterrupt (Ctrl-C) delivered in one of the callbacks, which
                # httptools turns into a callback error (the interrupt as its context): it
                # goes on as itself.
                self._spoiled = True
                raise interrupt from None
            if not self.complete:
                raise BadResponse(str(exc)) from None
            self._spoiled = True
        return self.complete

    def end(self) -> bool:
        """The connection was closed: return whether that completes the response (whose body
        then is what came before the end), or False if no byte of it had come.

        Raises:
            BadResponse: The connection was closed in the middle of a response.
        """
        headers = self._headers
        if (
            headers is not None
            and not self.complete
            and not self._head_only
            and not any(name in headers for name in _FRAMING)
        ):
            self.complete = self._until_eof = True
        if self.started and not self.complete:
            raise BadResponse(None)
        return self.complete

    @property
    def reusable(self) -> bool:
        """Whether the connection may carry another request after this response."""
        return self.complete and not self._spoiled and not self._until_eof and self._keep_alive

    @property
    def head(self) -> Headers | None:
        """The headers of the final response, once they have all arrived (else None)."""
        return self._headers

    @property
    def status(self) -> int:
        """The response's status (once its head has arrived)."""
        return self._status

    def take_body(self) -> bytes:
        """The pieces of the body received since the last call, removed from the reader (a
        streamed response's body is handed on as it comes).
        """
        body = self._body
        if not body:
            return b""
        taken = body[0] if len(body) == 1 else b"".join(body)
        body.clear()
        return taken

    def response(self) -> Response:
        """The complete response."""
        body, headers = self._body, self._headers
        response = Response.of(
            self._status,
            Headers() if headers is None else headers,  # not `or`: that would decode them
            body[0] if len(body) == 1 else b"".join(body),
        )
        # Not kept until the connection's next request: an idle connection would hold a
        # second copy of a large body.
        body.clear()
        return response


class Exchange(ResponseReader):
    """One request's trip over a connection, without the I/O: the bytes still to send, the
    response being read (the exchange is its reader), and what a failure on the way means.

    A failed write does not end the exchange: the agent may have answered and closed without
    reading the whole request (a 413 for a body over its limit), so the response is still read;
    the connection is not reused after it.

    Attributes:
        unsent: What remains to be sent, or None when all of it was sent (or a write failed).
    """

    __slots__ = ("_payload", "_sent", "_write_error", "unsent")

    def __init__(self, payload: bytes) -> None:
        """Prepare to send `payload` (a request whose reply has a body); `begin` prepares the
        exchange for the connection's next request.
        """
        super().__init__()
        self._payload = payload
        self._sent = 0
        self._write_error: OSError | None = None
        self.unsent: bytes | memoryview | None = payload or None

    def begin(self, payload: bytes, head_only: bool = False) -> Exchange:
        """Prepare this exchange for the next request on its connection, and return it: a
        connection keeps one (after a reusable response, its reader is reset).

        Args:
            payload: The request's bytes.
            head_only: Whether it is a HEAD request.
        """
        self.reset(head_only)
        self._payload = payload
        self._sent = 0
        self._write_error = None
        self.unsent = payload or None
        return self

    def sent(self, size: int) -> bytes | memoryview | None:
        """Record that `size` more bytes were sent, and return what remains (`unsent`)."""
        self._sent += size
        payload = self._payload
        self.unsent = None if self._sent == len(payload) else memoryview(payload)[self._sent :]
        return self.unsent

    def write_failed(self, error: OSError) -> None:
        """Record that sending failed with `error`; the response is read all the same."""
        self._write_error = error
        self.unsent = None
        self._spoiled = True

    def received(self, data: bytes | bytearray | memoryview) -> bool:
        """Take received bytes (empty at the end of the connection); return whether the
        response is complete.

        Raises:
            ConnectionLost: The connection ended before any byte of the response came.
            BadResponse: The response is not valid HTTP, or was cut short.
        """
        if data:
            return self.feed(data)
        if self.end():
            return True
        raise ConnectionLost(sent=self._sent > 0) from self._write_error

    def receive_failed(self, error: OSError) -> Exception:
        """The exception to raise when receiving failed with `error`: `ConnectionLost` if no
        byte of the response had come, else `error` itself.
        """
        return error if self.started else ConnectionLost(sent=self._sent > 0)
