"""A harness that drives a flow through an exact, scripted sequence of effects: no I/O, no
clock. Each method expects the flow's next effect to be of its kind, checks it and answers it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Generator
from typing import Any

import pytest

from consul_core import Call, ConsulError, Request, Response, Sleep
from consul_core.flows import Cursor, Emit, Notice, Now


def reply(
    status: int = 200,
    body: Any = None,
    *,
    index: int | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A response with `headers`; `body` is JSON-encoded unless it is bytes."""
    headers = dict(headers or {})
    if index is not None:
        headers["X-Consul-Index"] = str(index)
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, headers, raw)


def entry(
    key: str, value: bytes | None = b"", *, session: str | None = None, flags: int = 0,
    modify_index: int = 1,
) -> dict[str, Any]:  # fmt: skip
    """A KV entry in Consul's JSON shape."""
    data: dict[str, Any] = {
        "Key": key,
        "Flags": flags,
        "Value": None if value is None else base64.b64encode(value).decode(),
        "CreateIndex": 1,
        "ModifyIndex": modify_index,
        "LockIndex": 1 if session else 0,
    }
    if session:
        data["Session"] = session
    return data


def session_entry(sid: str, ttl: str = "10s") -> list[dict[str, Any]]:
    """A session, as ``/v1/session/renew`` and ``/v1/session/info`` answer."""
    return [{"ID": sid, "Name": "s", "TTL": ttl, "Behavior": "release", "LockDelay": 0}]


class Script:
    """Drives a flow, one expected effect at a time; its `Notice`s are answered as a driver
    does and kept in `notices`, in order.
    """

    def __init__(self, flow: Generator[Any, Any, Any]) -> None:
        self._cursor = Cursor(flow)
        self.notices: list[Notice] = []

    def _step(self) -> Any:
        step = self._cursor.next_step()
        while isinstance(step, Notice):
            self.notices.append(step)
            step = self._cursor.next_step()
        return step

    def _next(self) -> Any:
        try:
            return self._step()
        except StopIteration as end:
            pytest.fail(f"the flow ended early, returning {end.value!r}")

    def call(self, method: str, target: str, answer: Response | ConsulError) -> Request:
        """Expect a call to `target`; answer it with a response (parsed by the call) or fail
        it with an error (a transport error).
        """
        step = self._next()
        assert isinstance(step, Call), f"expected {method} {target}, got {step!r}"
        sent = (step.request.method, step.request.target)
        assert sent == (method, target), f"expected {method} {target}, got {sent}"
        try:
            if isinstance(answer, ConsulError):
                raise answer
            self._cursor.answer(step.parse(answer))
        except ConsulError as exc:
            self._cursor.fail(exc)
        return step.request

    def sleep(self, seconds: float) -> None:
        """Expect a sleep of `seconds`."""
        step = self._next()
        assert isinstance(step, Sleep), f"expected a sleep of {seconds}, got {step!r}"
        assert step.seconds == pytest.approx(seconds)

    def now(self, seconds: float) -> None:
        """Expect a read of the clock; answer `seconds`."""
        step = self._next()
        assert isinstance(step, Now), f"expected a read of the clock, got {step!r}"
        self._cursor.answer(seconds)

    def emit(self) -> Any:
        """Expect the stream to hand out a value; return it."""
        step = self._next()
        assert isinstance(step, Emit), f"expected a value, got {step!r}"
        return step.value

    def returns(self) -> Any:
        """Expect the flow to end; return its result."""
        try:
            step = self._step()
        except StopIteration as end:
            return end.value
        pytest.fail(f"expected the flow to end, got {step!r}")

    def raises(self, error: type[BaseException]) -> BaseException:
        """Expect the flow to raise `error`; return it."""
        with pytest.raises(error) as info:
            self._step()
        return info.value

    def close(self) -> None:
        """Close the flow, as a driver does when its consumer leaves."""
        self._cursor.close()
