"""Watches: a blocking read in a loop that hands out each new result.

Rules (Consul's blocking queries, and the Go client's watch plans):
- The first read does not block (unless the caller gave a starting index); each next one blocks
  on the index of the last reply, following `BlockingState` (reset when the index goes
  backwards, never below 1).
- A reply is handed out when its index differs from the last one seen and its value from the
  last one handed out, as Go's watch plans do: a blocking read that timed out (same index) is
  not news, and neither is a new index with the same value (Consul answers a read of what does
  not exist, a missing key, an empty prefix, an unknown service, with the index of the whole
  table, which any unrelated write moves). The first reply after an error is also news when its
  value differs (an agent that restarted and lost its data may reuse an index); the re-read of
  an unchanged object is not.
- A missing object (404) is a value, None, with the reply's index: a watch never ends on it.
- Transport errors, 429 and 5xx are retried after the backoff, and the next read does not block,
  so that a restarted agent whose index went backwards is read again at once. Other errors end
  the watch. A backoff, and an index that went backwards, are told with a `Notice`.
- Two blocking reads in a row start at least `Pacing.min_interval` apart, so that an object that
  changes all the time cannot make the loop spin (a read that does not block only comes first,
  or after the backoff of an error).
- A read that blocks on a content hash rather than an index (`watch_hash`: the agent's own
  service) follows the hash of the last value: a reply is news when its hash differs from the
  last one handed out. A missing object has no hash to block on: it is handed out once as None,
  then read again after the backoff until it exists (Go's watch plan backs off likewise).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from consul_core import _params
from consul_core.blocking import DEFAULT_WAIT, BlockingState
from consul_core.call import Call
from consul_core.errors import NotFound, RateLimited, ServerError, TransportError
from consul_core.flows.effects import (
    Emit,
    Flow,
    Notice,
    NoticeKind,
    Sleep,
    Stream,
    now,
    perform,
)
from consul_core.flows.pacing import Pacing, Retry
from consul_core.meta import QueryMeta

__all__ = ["RETRYABLE", "HashRead", "Read", "blocking_read", "read_entry", "watch", "watch_hash"]

V = TypeVar("V")
B = TypeVar("B")

RETRYABLE = (TransportError, ServerError, RateLimited)
"""The errors that a loop rides out with backoff: the agent is away, busy or failing."""

Read = Callable[[tuple[int, float] | None], Call[tuple[V, QueryMeta]]]
"""Builds one read: without blocking (None), or blocking on ``(index, wait)``."""
HashRead = Callable[[tuple[str, float] | None], Call[tuple[V, QueryMeta]]]
"""Builds one read: without blocking (None), or blocking on ``(content hash, wait)``."""


def read_entry(call: Call[tuple[V, QueryMeta]]) -> Flow[tuple[V | None, QueryMeta]]:
    """Perform a read; a 404 is None with the reply's metadata, not an error."""
    try:
        return (yield from perform(call))
    except NotFound as missing:
        return None, missing.meta


def blocking_read(
    build: Callable[..., Call[tuple[V, QueryMeta]]],
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> tuple[Read[V], int, float]:
    """Bind a read builder's arguments for a watch, validating them now.

    Args:
        build: An endpoint builder with a ``watch=`` option.
        args: Its positional arguments.
        kwargs: Its keyword arguments; a ``watch=`` among them gives the index to start from
            (the watch then hands out only what changes after it) and the wait of each read.

    Returns:
        The read, the starting index and the wait in seconds.

    Raises:
        UsageError: An argument is invalid.
    """
    options = dict(kwargs)
    start = options.pop("watch", None)
    if start is None:
        index, wait = 0, DEFAULT_WAIT
    elif isinstance(start, tuple) and len(start) == 2:
        index = _params.to_index(start[0], "watch")
        wait = _params.parse_duration(start[1], "watch wait")
    else:
        index, wait = _params.to_index(start, "watch"), DEFAULT_WAIT

    def read(blocking: tuple[int, float] | None) -> Call[tuple[V, QueryMeta]]:
        if blocking is None:
            return build(*args, **options)
        return build(*args, watch=blocking, **options)

    read((max(index, 1), wait))
    return read, index, wait


def watch(
    read: Read[V],
    *,
    pacing: Pacing,
    index: int = 0,
    wait: float = DEFAULT_WAIT,
    ordered: bool = True,
) -> Stream[tuple[V | None, QueryMeta]]:
    """Hand out ``(value, meta)`` each time the index of the read advances with a new value.

    Args:
        read: Builds each read (see `blocking_read`).
        pacing: The minimum interval between reads and the backoff after errors.
        index: Hand out only what changes after this index (0: start with the current value).
        wait: How long each blocking read may wait, in seconds.
        ordered: False for a read whose index is not a Raft index (the event list's is a hash):
            only a change of it counts, and it is never reset.

    Yields:
        `Emit` effects of ``(value or None, meta)``, and the effects to perform.

    Raises:
        ConsulError: An error that is not worth retrying (403, 400, ...).
    """
    state = BlockingState(index)
    seen: int | None = index or None  # the index of the last reply (or the one to start after)
    last: Any = None  # the last value handed out
    handed_out = False
    resync = False
    reads = _Reads(read, pacing)
    while True:
        reply = yield from reads.next((state.index, wait) if state.index else None)
        if reply is None:
            state = BlockingState(0, state.seen)
            resync = True
            continue
        value, meta = reply
        reads.retry.reset()
        sent = state.index
        state, _ = state.advance(meta.index, ordered=ordered)
        if sent and not state.index:
            yield Notice(
                NoticeKind.INDEX_RESET,
                f"watch of {reads.shown}: the index went back from {sent} to {meta.index}; "
                "reading again without blocking",
            )
        elif resync and ordered and seen is not None and meta.index < seen:
            # Read again after errors (an agent restarted without its data, a snapshot
            # restored): the index went back all the same, which an operator is told.
            yield Notice(
                NoticeKind.INDEX_RESET,
                f"watch of {reads.shown}: the index went back from {seen} to {meta.index} "
                "while the agent could not be read",
            )
        if meta.index != seen:
            news = not handed_out or value != last
            seen = meta.index
        else:
            news = resync and value != last
        resync = False
        if news:
            last, handed_out = value, True
            yield Emit((value, meta))


def watch_hash(
    read: HashRead[V],
    content_hash: Callable[[V], str],
    *,
    pacing: Pacing,
    start: str = "",
    wait: float = DEFAULT_WAIT,
) -> Stream[tuple[V | None, QueryMeta]]:
    """Hand out ``(value, meta)`` each time the content hash of the read's value changes.

    Args:
        read: Builds each read, blocking on the hash of the last value.
        content_hash: The hash of a value (what the next read blocks on).
        pacing: The minimum interval between reads and the backoff after errors (and while the
            object is missing).
        start: Hand out only what differs from the value of this hash ("": start with the
            current value).
        wait: How long each blocking read may wait, in seconds.

    Yields:
        `Emit` effects of ``(value or None, meta)``, and the effects to perform.

    Raises:
        ConsulError: An error that is not worth retrying (403, 400, ...).
    """
    blocking_on = start
    delivered: str | None = start or None
    reads = _Reads(read, pacing)
    while True:
        reply = yield from reads.next((blocking_on, wait) if blocking_on else None)
        if reply is None:
            blocking_on = ""
            continue
        value, meta = reply
        if value is None:
            blocking_on = ""
            if delivered != "":
                delivered = ""
                yield Emit((None, meta))
            yield from reads.retry.pause()
            continue
        reads.retry.reset()
        blocking_on = content_hash(value)
        if blocking_on != delivered:
            delivered = blocking_on
            yield Emit((value, meta))


class _Reads(Generic[B, V]):
    """The reads of a watch loop: two blocking reads in a row kept `Pacing.min_interval`
    apart, and a retryable error told with a `Notice` and backed off.

    Attributes:
        retry: The backoff after errors; the loop resets it once a read is worth it.
    """

    def __init__(
        self, read: Callable[[B | None], Call[tuple[V, QueryMeta]]], pacing: Pacing
    ) -> None:
        self._read = read
        self._pacing = pacing
        self.retry = Retry(pacing)
        self._started: float | None = None
        self._last: Call[Any] | None = None

    @property
    def shown(self) -> str:
        """The last read (``METHOD path``), for messages: formatted only when one is told."""
        request = self._last.request if self._last is not None else None
        return f"{request.method} {request.shown_path}" if request is not None else ""

    def next(self, blocking: B | None) -> Flow[tuple[V | None, QueryMeta] | None]:
        """Perform the next read, without blocking (None) or blocking on `blocking`.

        Returns:
            Its value (None for a 404) and metadata, or None after a retryable error (once its
            backoff is slept).
        """
        yield from self._pace(blocking is not None)
        call = self._last = self._read(blocking)
        try:
            return (yield from read_entry(call))
        except RETRYABLE as error:
            delay = self.retry.next_delay(error)
            yield Notice(
                NoticeKind.BACKOFF,
                f"watch of {self.shown} failed ({type(error).__name__}: {error}); "
                f"reading again in {delay:.2f}s",
            )
            yield Sleep(delay)
            return None

    def _pace(self, blocking: bool) -> Flow[None]:
        """Wait, before a blocking read, until `Pacing.min_interval` has passed since the
        previous blocking read started. A read that does not block neither waits nor starts
        an interval, and the one it follows still counts: replies whose index keeps going back
        (none at all, or 0, from a proxy that drops the header) alternate a blocking read and
        one that does not, paced as blocking reads in a row are.
        """
        interval = self._pacing.min_interval
        if not interval:
            self._started = None
            return
        if not blocking:
            return
        current = yield from now()
        if self._started is not None and current - self._started < interval:
            gap = interval - (current - self._started)
            yield Sleep(gap)
            current += gap
        self._started = current
