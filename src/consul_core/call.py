"""`Call[T]`: a request and the pure function that turns its response into a `T`; and the effects
that flows yield.

Rules:
- `Call.parse` is the only place a response becomes a result or an error: statuses the call
  does not expect go through `on_error` (when the endpoint has its own) and then
  `error_for_response`; a body that fails to decode becomes `UnexpectedResponse`, whose text
  names the field and the JSON types (a `DecodeError`'s message) but never a value from the
  body, and which chains no decoder exception (its `__cause__` and `__context__` are None).
- A flow is a generator that yields `Call` and `Sleep` effects and receives their results. It
  performs no I/O itself; drivers do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import attrs

from consul_core._codec import DecodeError
from consul_core.errors import (
    Missing,
    NotFound,
    ResponseError,
    UnexpectedResponse,
    error_for_response,
)
from consul_core.http import Request, Response

__all__ = ["Call"]

T = TypeVar("T")
R = TypeVar("R")  # what `Call.of` returns a call of

_OK = frozenset({200})
# What a decoder may raise, beyond `DecodeError`, on a body it cannot read.
_SHAPE_ERRORS = (
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)


class _CallSlots(Generic[T]):
    """`Call`'s slots, which `Call.of` fills (as ``http._RequestSlots``)."""

    __slots__ = ("__weakref__", "decode", "expect", "on_error", "request")
    request: Request
    decode: Callable[[Response], T]
    expect: frozenset[int]
    on_error: Callable[[Request, Response], ResponseError | None] | None


@attrs.frozen
class Call(_CallSlots[T]):
    """A request and how to parse its response.

    Attributes:
        request: The request to send.
        decode: Turns a response whose status is in `expect` into the result.
        expect: The statuses `decode` handles; any other is an error.
        on_error: Optional endpoint-specific mapping of an error response to an error, consulted
            before the common one; it returns None to defer to the common mapping.
    """

    request: Request
    decode: Callable[[Response], T]
    expect: frozenset[int] = _OK
    on_error: Callable[[Request, Response], ResponseError | None] | None = None

    @staticmethod
    def of(
        request: Request,
        decode: Callable[[Response], R],
        expect: frozenset[int] = _OK,
        on_error: Callable[[Request, Response], ResponseError | None] | None = None,
    ) -> Call[R]:
        """The call of these fields, built for the builders' hot path at about half the cost
        of ``Call(...)`` (see `Request.of`).

        Returns:
            The call, equal to ``Call(...)`` of the same fields.
        """
        call: _CallSlots[R] = _CallSlots()
        call.request, call.decode, call.expect, call.on_error = request, decode, expect, on_error
        call.__class__ = Call
        return call  # type: ignore[return-value]  # a Call now (no cast: it costs a call)

    def parse(self, response: Response) -> T:
        """Turn `response` into the call's result.

        Args:
            response: The reply to `request`.

        Returns:
            The decoded result.

        Raises:
            ResponseError: A subclass matching the error status, or `UnexpectedResponse` when
                the body does not decode.
        """
        if response.status not in self.expect:
            error = self.on_error(self.request, response) if self.on_error else None
            raise error or error_for_response(self.request, response)
        try:
            return self.decode(response)
        except Missing as missing:
            # Raised below, outside this handler, so that nothing chains to the decoder's error.
            detail, missing_object = str(missing), True
        except DecodeError as error:
            detail, missing_object = f"the body does not have the documented shape: {error}", False
        except _SHAPE_ERRORS as error:
            # A decoder's own message may quote the body: only the kind of error is kept.
            detail = f"the body does not have the documented shape ({type(error).__name__})"
            missing_object = False
        if missing_object:
            raise NotFound(self.request, response, detail) from None
        raise UnexpectedResponse(self.request, response, detail) from None
