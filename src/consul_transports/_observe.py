"""What the clients tell about their work: a log line per request, the event hooks called
around each request, and the notices of the helpers' flows, logged. Both drivers dispatch
through here; they only call (or await) what `Exchange` hands them.

Rules:
- One logger per subject, children of ``consul_transports`` (which has a NullHandler, so
  nothing is printed until the application configures logging): ``.request``, ``.watch``,
  ``.lock`` (locks, semaphores, keepalives, sessions).
- Nothing shown holds a secret or a value: a request shows as its method and
  `Request.shown_target` (the secrets of its path replaced; the token travels in a header),
  never a header or a body.
- With DEBUG off and no hook, a request costs one `isEnabledFor` check; nothing is formatted.
- Hooks: the ``request`` hooks get the request before it is sent; then either the
  ``response`` hooks get (request, response), whatever its status, or, when no response came
  (a transport error, a timeout, a cancellation), the ``error`` hooks get (request, exception),
  which is raised again after them. All of them run in the caller's task (thread) and
  `contextvars` context, in the order given; a hook that raises stops the request there and
  its exception reaches the caller.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from typing import Any, Generic, TypedDict, TypeVar, cast

from consul_core import Request, Response, UsageError
from consul_core.flows import Notice, NoticeKind

__all__ = [
    "HOOKS_GRACE",
    "LOCKS",
    "REQUESTS",
    "WATCHES",
    "AsyncEventHooks",
    "EventHooks",
    "Exchange",
    "HookCall",
    "Observer",
    "cancellation",
    "connection",
    "hook_failed",
    "lost",
    "notify",
    "resent",
    "shielded",
    "tracking",
]

R = TypeVar("R")

HookCall = tuple[Callable[..., R], tuple[Any, ...]]
"""One call of an event hook to make (returning `R`): the hook, and its arguments."""

REQUESTS = logging.getLogger("consul_transports.request")
WATCHES = logging.getLogger("consul_transports.watch")
LOCKS = logging.getLogger("consul_transports.lock")

_NOTICES = {
    NoticeKind.BACKOFF: (WATCHES, logging.WARNING),
    NoticeKind.INDEX_RESET: (WATCHES, logging.INFO),
    NoticeKind.RENEWED_LATE: (LOCKS, logging.INFO),
    NoticeKind.RETRY: (LOCKS, logging.WARNING),
}

connection: ContextVar[str] = ContextVar("consul_transports.connection", default="unknown")
"""How the native transport carried the current request: ``"reused"`` (a kept-alive
connection of its pool) or ``"new"``; set by it, read for the request's log line in the same
task (thread)."""
tracking = False
"""Whether a request was logged yet: until then the native transport does not set
`connection` (a context variable's set is not free, and the transport's path is hot)."""
_debugging = functools.partial(REQUESTS.isEnabledFor, logging.DEBUG)


class EventHooks(TypedDict, total=False):
    """The event hooks of the sync client (see the logging and hooks guide)."""

    request: Sequence[Callable[[Request], object]]
    """Called with each request before it is sent."""
    response: Sequence[Callable[[Request, Response], object]]
    """Called with the request and its response (any status)."""
    error: Sequence[Callable[[Request, BaseException], object]]
    """Called with the request and the exception when no response came."""


class AsyncEventHooks(TypedDict, total=False):
    """The event hooks of the async clients: as `EventHooks`, async functions."""

    request: Sequence[Callable[[Request], Awaitable[object]]]
    """Awaited with each request before it is sent."""
    response: Sequence[Callable[[Request, Response], Awaitable[object]]]
    """Awaited with the request and its response (any status)."""
    error: Sequence[Callable[[Request, BaseException], Awaitable[object]]]
    """Awaited with the request and the exception when no response came."""


_KINDS = ("request", "response", "error")


def _is_async(hook: object) -> bool:
    call = getattr(hook, "__call__", None)  # noqa: B004  (a callable object's own method)
    return inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(call)


class Observer(Generic[R]):
    """What observes a client's requests: its event hooks (returning `R`: None for the sync
    client, an awaitable for the async ones) and the request log.
    """

    __slots__ = ("_awaited", "_hooks")

    def __init__(self, event_hooks: Mapping[str, object] | None, *, awaited: bool) -> None:
        """Check and keep the hooks (see `add`)."""
        self._awaited = awaited
        self._hooks: dict[str, tuple[Callable[..., R], ...]] | None = None
        self.add(event_hooks)

    @property
    def awaited(self) -> bool:
        """Whether the hooks are async functions (an async client's)."""
        return self._awaited

    def add(self, event_hooks: Mapping[str, object] | None, *, innermost: bool = False) -> None:
        """Check `event_hooks` and add them after those already kept; `innermost`: closest to
        the transport instead, its ``response`` and ``error`` hooks before those kept (a hook
        that must see the end of each request it saw start, as a tracer's).

        Raises:
            UsageError: A key is not ``request``, ``response`` or ``error``, a hook is not
                callable, or is async for the sync client, or not async for an async one.
        """
        awaited = self._awaited
        hooks = dict(self._hooks or dict.fromkeys(_KINDS, ()))
        for kind, listed in (event_hooks or {}).items():
            if kind not in hooks:
                raise UsageError(
                    f"event_hooks takes the keys 'request', 'response' and 'error', not {kind!r}"
                )
            if isinstance(listed, (str, bytes)) or not isinstance(listed, Sequence):
                raise UsageError(f"event_hooks[{kind!r}] must be a list of callables")
            for hook in listed:
                if not callable(hook):
                    raise UsageError(f"event_hooks[{kind!r}] holds {hook!r}, not a callable")
                if _is_async(hook) is not awaited:
                    wanted = "async functions" if awaited else "plain functions, not async ones"
                    raise UsageError(
                        f"the {'async' if awaited else 'sync'} client's event hooks must be "
                        f"{wanted}: event_hooks[{kind!r}] holds {hook!r}"
                    )
            added = tuple(cast("Sequence[Callable[..., R]]", listed))
            first = innermost and kind != "request"
            hooks[kind] = added + hooks[kind] if first else hooks[kind] + added
        self._hooks = hooks if any(hooks.values()) else None

    def start(self, request: Request) -> Exchange[R] | None:
        """Begin observing `request`; None when nothing observes it (no hook, no DEBUG)."""
        logged = _debugging()
        if self._hooks is None and not logged:
            return None
        return Exchange(request, self._hooks, logged)


class Exchange(Generic[R]):
    """One request being observed. Each method logs what it must, then returns the hook calls
    to make, in order, as (hook, arguments).
    """

    __slots__ = ("_hooks", "_logged", "_started", "request")

    def __init__(
        self,
        request: Request,
        hooks: dict[str, tuple[Callable[..., R], ...]] | None,
        logged: bool,
    ) -> None:
        self.request = request
        self._hooks = hooks
        self._logged = logged
        self._started = 0.0
        if logged:
            global tracking  # noqa: PLW0603  (set once, read by the native transport)
            tracking = True
            connection.set("unknown")

    def _log(self, outcome: str, *args: object) -> None:
        """Log the request's method and shown target, then its `outcome` (a format)."""
        REQUESTS.debug("%s %s " + outcome, self.request.method, self.request.shown_target, *args)

    def _ms(self) -> float:
        """The milliseconds since the request was sent."""
        return (time.perf_counter() - self._started) * 1000

    def _calls(self, kind: str, *args: Any) -> Iterator[HookCall[R]]:
        if self._hooks is not None:
            for hook in self._hooks[kind]:
                yield hook, args

    def before(self) -> Iterator[HookCall[R]]:
        """The ``request`` hook calls; the time logged runs from their end (the sending)."""
        yield from self._calls("request", self.request)
        if self._logged:
            self._started = time.perf_counter()

    def answered(self, response: Response) -> Iterator[HookCall[R]]:
        """Log the response; the ``response`` hook calls."""
        if self._logged:
            self._log(
                "-> %d in %.1f ms (connection %s)", response.status, self._ms(), connection.get()
            )
        return self._calls("response", self.request, response)

    def failed(self, error: BaseException) -> Iterator[HookCall[R]]:
        """Log the failure; the ``error`` hook calls."""
        if self._logged:
            self._log("failed after %.1f ms: %s: %s", self._ms(), type(error).__name__, error)
        return self._calls("error", self.request, error)


HOOKS_GRACE = 5.0
"""The seconds the ``error`` hooks of a cancelled request may take, shielded from it."""


def cancellation(exc: BaseException) -> bool:
    """Whether `exc` is an event loop's cancellation (asyncio's, trio's)."""
    if isinstance(exc, asyncio.CancelledError):
        return True
    trio = sys.modules.get("trio")
    return trio is not None and isinstance(exc, trio.Cancelled)


def shielded(exc: BaseException) -> AbstractContextManager[object]:
    """Where the ``error`` hooks for `exc` run: after a cancellation, in a scope shielded from
    it for at most `HOOKS_GRACE` seconds (an await in a hook would end it at once, and the
    hooks after it would not run); else as they are.
    """
    if not cancellation(exc):
        return nullcontext()
    import anyio  # noqa: PLC0415  (an event loop runs: imported already)

    return anyio.CancelScope(shield=True, deadline=anyio.current_time() + HOOKS_GRACE)


def hook_failed(request: Request) -> None:
    """Log that an ``error`` hook of a cancelled `request` raised: the cancellation goes on."""
    REQUESTS.exception(
        "%s %s: an error hook raised after its cancellation (the cancellation goes on)",
        request.method,
        request.shown_target,
    )


def resent(request: Request, why: str) -> None:
    """Log that a transport sends `request` once more, on a new connection, because `why`."""
    REQUESTS.warning(
        "%s %s: %s; sending it again on a new connection",
        request.method,
        request.shown_target,
        why,
    )


def notify(notice: Notice) -> None:
    """Log a flow's notice, at the level its kind calls for."""
    logger, level = _NOTICES[notice.kind]
    logger.log(level, "%s", notice.message)


def lost(what: str, reason: str) -> None:
    """Log that a lock, semaphore or keepalive (`what`) was lost while held."""
    LOCKS.warning("%s is lost: %s", what, reason)
