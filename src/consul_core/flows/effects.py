"""What flows yield (`Step`: a `Call`, a `Sleep`, the clock `Now`, a `Notice`; and `Emit` in a
`Stream`), the one `Flow` type, and the plumbing that composes flows.

Rules:
- A flow is a generator that yields steps and receives their results; it performs no I/O
  itself: drivers do.
- A flow reads the clock only through the `Now` effect: the driver answers with its monotonic
  clock in seconds. Nothing here reads a clock or performs I/O.
- A flow tells what an operator may want to know (a watch backing off, a session renewed late)
  with a `Notice`: the driver logs it, or ignores it, and answers None. `consul_core` never logs.
- A `Stream` is a flow that also hands values out with `Emit`: the driver gives the value to its
  consumer and resumes the stream (sending None) when the consumer asks for the next one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Generator
from typing import Any, Generic, TypeVar

import attrs

from consul_core.call import Call
from consul_core.errors import ConsulError

__all__ = [
    "Cursor",
    "Emit",
    "Flow",
    "Notice",
    "NoticeKind",
    "Now",
    "Sleep",
    "Step",
    "Stream",
    "attempt",
    "now",
    "perform",
    "sleep",
    "until",
    "with_timeout",
]

T = TypeVar("T")
R = TypeVar("R")
V = TypeVar("V")
Y = TypeVar("Y")  # what a flow yields


@attrs.frozen
class Sleep:
    """An effect: wait this many seconds before resuming the flow."""

    seconds: float


@attrs.frozen
class Now:
    """An effect: answer with the driver's monotonic clock, in seconds."""


class NoticeKind(enum.Enum):
    """What a `Notice` tells."""

    BACKOFF = "backoff"
    """A loop's read failed with an error worth riding out: it backs off, then reads again."""
    RETRY = "retry"
    """A step of a lease (entering or leaving a lock, a semaphore or a session) failed with an
    error worth riding out: it backs off, then tries again."""
    INDEX_RESET = "index-reset"
    """A watch's index went backwards (an agent that restarted, a snapshot restored): its next
    read starts again without blocking."""
    RENEWED_LATE = "renewed-late"
    """A session was renewed, but only after failed attempts: closer to its TTL than planned."""


@attrs.frozen
class Notice:
    """An effect: news for an operator, which the driver logs (or ignores) and answers with None.

    Attributes:
        kind: What happened.
        message: What to tell, without a secret or a value: it names the request by its method
            and shown path.
    """

    kind: NoticeKind
    message: str


@attrs.frozen
class Emit(Generic[V]):
    """An effect of a `Stream`: hand `value` to the consumer."""

    value: V


Step = Call[Any] | Sleep | Now | Notice
"""What a driver performs and answers: a call (its result), a sleep (None), the clock (seconds),
a notice (None)."""

Flow = Generator[Step, Any, T]
"""A flow: it yields steps, receives their results, and returns a `T`."""

Stream = Generator[Step | Emit[V], Any, None]
"""A flow that hands values out, one `Emit` at a time, until it is closed."""


def perform(call: Call[T]) -> Flow[T]:
    """Yield `call` to the driver and return its result (use as ``yield from perform(call)``)."""
    result: T = yield call
    return result


def sleep(seconds: float) -> Flow[None]:
    """Yield a `Sleep` effect (use as ``yield from sleep(seconds)``)."""
    yield Sleep(seconds)


class Cursor(Generic[Y]):
    """A flow (or stream) being driven, and the answer to give it next.

    A driver loops: ``step = cursor.next_step()``, performs the step, then ``cursor.answer(result)``
    or ``cursor.fail(error)``; `next_step` raises `StopIteration` (with the flow's result) when
    the flow ends. A `ConsulError` from a step is thrown into the flow, which may handle it.
    The steps are typed as the flow yields them: a `Step` of a flow, or an `Emit` of a stream.
    """

    def __init__(self, flow: Generator[Y, Any, Any]) -> None:
        self._flow = flow
        self._result: Any = None
        self._error: ConsulError | None = None

    def next_step(self) -> Y:
        """Resume the flow with the last answer and return its next effect."""
        result, error = self._result, self._error
        self._result, self._error = None, None
        return self._flow.send(result) if error is None else self._flow.throw(error)

    def answer(self, result: Any) -> None:
        """Give the result of the last step."""
        self._result = result

    def fail(self, error: ConsulError) -> None:
        """Report that the last step failed with `error`."""
        self._error = error

    def close(self) -> None:
        """Close the flow (a no-op once it ended)."""
        self._flow.close()


def now() -> Flow[float]:
    """Read the driver's monotonic clock (use as ``t = yield from now()``)."""
    seconds: float = yield Now()
    return seconds


def with_timeout(call: Call[T], seconds: float) -> Call[T]:
    """The same call, with a read timeout of `seconds`."""
    return attrs.evolve(call, request=attrs.evolve(call.request, timeout=seconds))


def attempt(call: Call[T]) -> Flow[T | None]:
    """Perform `call` as a best effort: a `ConsulError` gives None instead of propagating."""
    try:
        return (yield from perform(call))
    except ConsulError:
        return None


def until(stream: Stream[V], check: Callable[[V], R | None]) -> Flow[R]:
    """Run `stream`, passing its effects through, until `check` answers a value it emitted.

    Args:
        stream: The stream; it is closed when this flow ends, however it ends.
        check: Called on each emitted value; the first answer that is not None ends the flow.

    Returns:
        That answer.
    """
    result: Any = None
    error: ConsulError | None = None
    try:
        while True:
            step = stream.send(result) if error is None else stream.throw(error)
            result, error = None, None
            if isinstance(step, Emit):
                answer = check(step.value)
                if answer is not None:
                    return answer
                continue
            try:
                result = yield step
            except ConsulError as exc:
                error = exc
    finally:
        stream.close()
