"""Static checks (mypy --strict and pyright): the fast constructors of the protocol shapes give
the exact types that their attrs constructors give.
"""

from __future__ import annotations

from typing_extensions import assert_type

from consul_core import Call, Headers, Request, Response


def body(response: Response) -> bytes:
    return response.body


def fast_constructors() -> None:
    request = Request.of("GET", "/v1/kv/k", (), Headers(), None, None, frozenset())
    assert_type(request, Request)
    assert_type(Response.of(200, Headers(), b""), Response)
    assert_type(Call.of(request, body), Call[bytes])
    assert_type(Call.of(request, body, frozenset({200, 404}), None), Call[bytes])
