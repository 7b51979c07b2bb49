"""The one error tree of consul-sansio, and the one function that maps a response to an error.

```
ConsulError
├── UsageError                # our caller's mistake, raised before any I/O (also a ValueError)
│   └── LockConflict          # the key holds something else than this kind of lock
├── ResponseError             # the server said no: status, method, path, body text; never the token
│   ├── BadRequest (400)  PermissionDenied (403)  Conflict (409)
│   ├── NotFound (404)
│   │   └── ACLNotFound       # an ACL object that does not exist: 404, or 403 "ACL not found"
│   ├── RequestTooLarge (413, 431)  RateLimited (429)  ServerError (5xx)
│   ├── TransactionError      # per-operation errors of a /v1/txn
│   └── UnexpectedResponse    # a body that does not decode to the documented shape
├── LockLost                  # a held lock or semaphore slot was lost while its body ran
├── ReleaseFailed             # leaving a lock, semaphore or keepalive could not release it
└── TransportError            # raised by transports, mapped from their own errors
    ├── ConnectError
    └── Timeout
```

Rules:
- A `ResponseError` names the method and the path, never the query string's values beyond the
  path, and never a secret (the token, a basic-auth password): the token is scrubbed from the
  body text too, before the text is cut to its limit; a secret removed later (`redact`) also
  takes any start of it that the cut left at the end (behind another secret's mark too), so no
  fragment of a secret survives the cut, however many secrets are removed.
- Every `ResponseError` carries `.meta`, the `QueryMeta` of the reply, so a watcher that gets a
  404 keeps its index.
- A 429 or 503 carries `.retry_after`, the wait its ``Retry-After`` asks for (seconds, or a date
  taken against the reply's own ``Date``: no clock is read), which the helpers' backoff honours.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import attrs

from consul_core.http import REDACTED, Request, Response, hide, shortened
from consul_core.meta import QueryMeta

__all__ = [
    "ACLNotFound",
    "BadRequest",
    "Conflict",
    "ConnectError",
    "ConsulError",
    "LockConflict",
    "LockInUse",
    "LockLost",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "ReleaseFailed",
    "RequestTooLarge",
    "ResponseError",
    "ServerError",
    "Timeout",
    "TransactionError",
    "TransportError",
    "TxnError",
    "UnexpectedResponse",
    "UsageError",
    "acl_not_found",
    "error_for_response",
]

_BODY_LIMIT = 500
_CUT_MARK = "..."
_REDACTED = REDACTED
_ACL_NOT_FOUND = b"ACL not found"
# How Consul 1.8 answers an update of an ACL object that does not exist: a 500 whose body starts
# so ("cannot find policy <ID>", "Cannot find token <accessor>", ... role, binding rule).
_CANNOT_FIND = b"cannot find "
# Consul's words for an ID that is not a UUID, where it looks up objects named by UUIDs
# (sessions, ACL objects, intentions, prepared queries): no such object can exist.
MALFORMED_UUID = "UUID must be 36 characters"
_MALFORMED_UUID = MALFORMED_UUID.encode()


class ConsulError(Exception):
    """The base of every error this library raises."""


class UsageError(ConsulError, ValueError):
    """The caller passed a bad argument; raised before any request is sent."""


class LockLost(ConsulError):
    """A held lock, semaphore slot or session was lost while the body of its block ran."""


class ReleaseFailed(ConsulError):
    """Leaving a lock, semaphore or keepalive block could not release what it held (the key,
    the slot, the session) within the cleanup's time: it stays held until Consul invalidates the
    session, up to twice its TTL later.
    """


class LockConflict(UsageError):
    """The key (or prefix) is used by something else than this kind of lock or semaphore."""


class LockInUse(ConsulError):
    """A lock or semaphore cannot be destroyed: someone holds it (Go's ``ErrLockInUse`` and
    ``ErrSemaphoreInUse``).
    """


class TransportError(ConsulError):
    """The request did not complete: the transport failed to connect, send or receive."""


class ConnectError(TransportError):
    """No connection to the agent could be made."""


class Timeout(TransportError):
    """The agent did not answer within the timeout (or a lock, semaphore or keepalive given a
    ``timeout=`` could not be entered within it).
    """


# The statuses whose Retry-After tells when to try again (RFC 9110, 10.2.3; RFC 6585, 4).
_RETRY_AFTER = frozenset({429, 503})


def _retry_after(response: Response) -> float | None:
    """The seconds `response`'s ``Retry-After`` asks to wait: delay-seconds, or an HTTP date
    less the reply's own ``Date`` (the core reads no clock), at least 0; None without the
    header, or with a value (or, for a date, a ``Date``) that does not parse.
    """
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    until, sent = _http_date(value), _http_date(response.headers.get("Date") or "")
    if until is None or sent is None:
        return None
    return max((until - sent).total_seconds(), 0.0)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _http_date(text: str) -> datetime | None:
    """An HTTP date in the form senders use (``Wed, 02 Dec 2026 04:00:07 GMT``, RFC 9110's
    IMF-fixdate), or None. Parsed here: `email.utils` would import sockets and randomness.
    """
    parts = text.split()
    if len(parts) != 6 or parts[5] != "GMT" or not "".join(parts[1:5]).isascii():
        return None
    _, day, month, year, clock, _ = parts
    try:
        hour, minute, second = (int(number) for number in clock.split(":"))
        return datetime(int(year), _MONTHS.index(month) + 1, int(day), hour, minute, second)
    except ValueError:  # not numbers, not a month, out of range
        return None


def _scrub(text: str, token: str | None) -> tuple[str, bool]:
    """`text` without `token`, then cut to the limit; and whether it was cut."""
    if token:
        text = text.replace(token, _REDACTED)
    if len(text) <= _BODY_LIMIT:
        return text, False
    return text[:_BODY_LIMIT] + _CUT_MARK, True


def _without(text: str, secret: str, cut: bool) -> str:
    """`text` without `secret`, nor, when `text` was cut, the start of `secret` it may end on,
    also behind the mark of another secret removed there before (whose start may have been the
    last characters of this one's).
    """
    text = text.replace(secret, _REDACTED)
    if not cut:
        return text
    kept = text[: -len(_CUT_MARK)]
    if kept.endswith(_REDACTED):
        kept = kept[: -len(_REDACTED)]
    for size in range(min(len(secret) - 1, len(kept)), 0, -1):
        if kept.endswith(secret[:size]):
            return kept[:-size] + _REDACTED + _CUT_MARK
    return text


class ResponseError(ConsulError):
    """Consul answered with an error status, or with a body this library cannot decode.

    Attributes:
        status: The HTTP status.
        method: The request's method.
        path: The request's path (without the query string).
        text: The body as text, trimmed and with the token removed.
        meta: The `QueryMeta` of the reply.
        retry_after: The seconds a 429 or 503 asks to wait before trying again (its
            ``Retry-After``), or None (not given, not understood, or another status).
    """

    # Declared here, as a type checker reading the installed package looks for them.
    status: int
    method: str
    path: str
    text: str
    meta: QueryMeta
    retry_after: float | None

    def __init__(self, request: Request, response: Response, detail: str | None = None) -> None:
        self.status = response.status
        self.retry_after = _retry_after(response) if response.status in _RETRY_AFTER else None
        self.method = request.method
        self.path = request.path
        raw = response.body.decode("utf-8", "replace").strip()
        self.text, self._cut = _scrub(detail if detail is not None else raw, request.token)
        self.meta = QueryMeta.from_headers(response.headers)
        super().__init__(self._message())
        for secret in request.secrets_in_path:  # a legacy ACL token's ID, say
            self.redact(secret)

    def _message(self) -> str:
        return f"{self.status} {self.method} {shortened(self.path)}: {self.text or '(empty body)'}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Made again from its fields, not its __init__'s request and response (which it does
        # not keep): a copy, or an error a worker process sends back (concurrent.futures).
        return _rebuilt, (type(self), self.args), self.__dict__

    def redact(self, secret: str | None) -> None:
        """Remove `secret` (a token the request carried, or a secret in its path) from this
        error's path, text and message, in the form it has in the body and in a path.
        """
        if not secret:
            return
        self.path = hide(self.path, secret)
        for form in {secret, quote(secret, safe="")}:
            self.text = _without(self.text, form, self._cut)
        self.args = (self._message(),)


def _rebuilt(cls: type[ResponseError], args: tuple[object, ...]) -> ResponseError:
    """A `ResponseError` of class `cls` with `args`, its fields set by pickle after."""
    error = cls.__new__(cls)
    error.args = args
    return error


class Missing(Exception):
    """Raised by a decoder when a 200 reply holds no object; `Call.parse` makes it `NotFound`."""


class BadRequest(ResponseError):
    """400: Consul rejected the request's arguments."""


class PermissionDenied(ResponseError):
    """403: the token lacks the rights for this request (or is unknown)."""


class NotFound(ResponseError):
    """The object does not exist; `.meta.index` is the index to watch from.

    Usually a 404; some Consul endpoints say "not found" with a 500 (an unknown check, node or
    Raft peer) or with a 200 and an empty body, and those raise `NotFound` too: check the type,
    not `.status`.
    """


class ACLNotFound(NotFound):
    """An ACL object (token, policy, role, auth method, binding rule) does not exist.

    Consul says so in two ways: 404 on current servers, and 403 with the body ``ACL not found``
    on older ones (1.8, and for some objects later). Both raise this error, which is a
    `NotFound`; `.status` keeps which of the two the server sent. A 403 ``ACL not found`` is
    also Consul's answer when the call's own token does not exist: an ACL object's endpoint
    cannot tell the two apart, so this error can mean either (Consul's own tools read it as a
    missing object too).
    """


def acl_not_found(request: Request, response: Response) -> ResponseError | None:
    """The `ACLNotFound` that `response` means, when it is one of Consul's answers for a
    missing ACL object (a 404, a 403 whose body is ``ACL not found``, a 500 for an ID that is
    not a UUID, or a 500 ``cannot find ...`` for an update); else None.
    """
    status = response.status
    if status == 404 or (status == 403 and response.body.strip() == _ACL_NOT_FOUND):
        return ACLNotFound(request, response)
    if status == 500 and (
        _MALFORMED_UUID in response.body or response.body[:12].lower() == _CANNOT_FIND
    ):
        return ACLNotFound(request, response)
    return None


class Conflict(ResponseError):
    """409: the request conflicts with the current state."""


class RequestTooLarge(ResponseError):
    """413: the agent refused the request for its size; nothing was written.

    A KV value over the agent's ``kv_max_value_size``, or a transaction whose body is over its
    ``txn_max_req_len`` or holds a value over ``kv_max_value_size`` (both 512 KiB unless the
    agent's configuration raises them; a transaction's values travel in base64, a third
    larger). Consul's text names the size and the limit. Or (431) a request head over the
    agent's limit (1 MiB by Go's default): a key or a name of about that size in the path.
    """


class RateLimited(ResponseError):
    """429: Consul's rate limit refused the request."""


class ServerError(ResponseError):
    """5xx: the agent or server failed."""


class UnexpectedResponse(ResponseError):
    """The reply's body does not decode to the shape Consul documents."""


@attrs.frozen
class TxnError:
    """One failed operation of a transaction.

    Attributes:
        op_index: The position of the operation in the transaction.
        what: Consul's description of the failure.
    """

    op_index: int
    what: str


class TransactionError(ResponseError):
    """A transaction was rolled back; `.errors` lists why, per operation."""

    errors: list[TxnError]

    def __init__(self, request: Request, response: Response, errors: list[TxnError]) -> None:
        self.errors = errors
        detail = "; ".join(f"operation {e.op_index}: {e.what}" for e in errors)
        super().__init__(request, response, detail or None)


_DENIAL_MARKERS = (b"Permission denied", _ACL_NOT_FOUND)

_BY_STATUS: dict[int, type[ResponseError]] = {
    400: BadRequest,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    413: RequestTooLarge,
    429: RateLimited,
    431: RequestTooLarge,
}

# The agent's router answers a bare 400, with no body, to a path holding a character Go does
# not count as printable (go-cleanhttp's PrintablePathCheckHandler); its handlers' 400s carry a
# reason.
_UNPRINTABLE_PATH = (
    "the agent gave no reason; Consul does so for a path holding a character Go does not "
    "count as printable, such as a code point its Unicode tables do not know yet"
)


def error_for_response(request: Request, response: Response) -> ResponseError:
    """Return the typed error for an error `response` to `request`.

    Args:
        request: The request that was sent.
        response: The reply, whose status is not one the endpoint accepts.

    Returns:
        The `ResponseError` subclass that matches the status.
    """
    if response.status >= 500:
        # Some Consul endpoints wrap an ACL denial of a forwarded RPC in a 500.
        denied = any(marker in response.body for marker in _DENIAL_MARKERS)
        return (PermissionDenied if denied else ServerError)(request, response)
    if response.status == 400 and not response.body.strip():
        return BadRequest(request, response, _UNPRINTABLE_PATH)
    return _BY_STATUS.get(response.status, ResponseError)(request, response)
