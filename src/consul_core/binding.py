"""The device that lets one endpoint definition serve the sync and the async clients, typed.

A namespace class (``class KV(Namespace[D])``) lists endpoints as ``get = endpoint(kv.get)``.
Reading ``client.kv.get`` binds the builder to the client's driver: on a sync client it is typed
``(key, ...) -> tuple[KeyValue, QueryMeta]``, on an async client
``(key, ...) -> Coroutine[Any, Any, tuple[KeyValue, QueryMeta]]``, from the one definition.

Watches use the same device: ``watch = watcher(kv.get)`` makes ``client.kv.watch(key, ...)`` take
the arguments of ``kv.get`` and return an iterator of ``(value or None, meta)`` on a sync client,
an async iterator on an async one. So do the helpers held for the length of a block:
``lock = holder(Lock)`` makes ``client.lock(key, ...)`` take the arguments of `Lock` and return a
context manager on a sync client, an async context manager on an async one; and a method that
builds a stream of its own, decorated ``@iterated``, returns an iterator of what it emits; and
``monitor = streamed(agent_stream.monitor)`` makes a response read as it arrives
(``StreamCall``) an iterator of its pieces; and ``destroy_lock = ran(destroy_lock)`` makes a
function that returns a `Flow` a method that runs it.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
import types
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Generic,
    ParamSpec,
    Protocol,
    TypeVar,
    get_origin,
    overload,
)

import attrs

from consul_core import _docstrings
from consul_core.call import Call
from consul_core.endpoints._docs import SECTIONS
from consul_core.flows.effects import Flow
from consul_core.flows.held import Held
from consul_core.flows.pacing import Pacing
from consul_core.flows.watch import blocking_read, watch
from consul_core.meta import QueryMeta

if TYPE_CHECKING:
    from typing_extensions import Self

    from consul_core.flows.effects import Stream
    from consul_core.streaming import AsyncSink, AsyncSource, Sink, Source, StreamCall

__all__ = [
    "AsyncDriver",
    "AsyncWatchIterator",
    "D",
    "Namespace",
    "SyncDriver",
    "WatchIterator",
    "endpoint",
    "holder",
    "iterated",
    "ran",
    "streamed",
    "watcher",
]

T = TypeVar("T")
V = TypeVar("V")
V_co = TypeVar("V_co", covariant=True)
H = TypeVar("H", bound=Held)
P = ParamSpec("P")


class WatchIterator(Protocol[V_co]):
    """A sync watch: an iterator that ends only when closed (``close()`` or ``with``)."""

    def __iter__(self) -> WatchIterator[V_co]: ...
    def __next__(self) -> V_co: ...
    def close(self) -> None:
        """Stop the watch."""
        ...

    def __enter__(self) -> WatchIterator[V_co]: ...
    def __exit__(self, *exc_info: object) -> None: ...


class AsyncWatchIterator(Protocol[V_co]):
    """An async watch: an async iterator that ends only when closed (``aclose()`` or
    ``async with``).
    """

    def __aiter__(self) -> AsyncWatchIterator[V_co]: ...
    async def __anext__(self) -> V_co: ...
    async def aclose(self) -> None:
        """Stop the watch."""
        ...

    async def __aenter__(self) -> AsyncWatchIterator[V_co]: ...
    async def __aexit__(self, *exc_info: object) -> None: ...


class SyncDriver(Protocol):
    """What a sync driver offers: perform a call or a whole flow, blocking."""

    def execute(self, call: Call[T]) -> T:
        """Send the call's request and parse the response."""
        ...

    def run(self, flow: Flow[T]) -> T:
        """Run a flow to its end, performing each effect it yields."""
        ...

    @property
    def pacing(self) -> Pacing:
        """The pace of the helpers' loops, with the driver's random source for jitter."""
        ...

    def iterate(self, stream: Stream[V]) -> WatchIterator[V]:
        """Iterate over the values a stream emits, performing its other effects."""
        ...

    def hold(self, held: H) -> AbstractContextManager[H]:
        """Hold `held` for the length of a ``with`` block (renewed and monitored by threads)."""
        ...

    def stream(self, call: StreamCall[V]) -> WatchIterator[V]:
        """Iterate over the items of a streamed response, read as they arrive."""
        ...

    def download(self, call: Call[T], target: Sink) -> T:
        """Send the call's request, write the response's body to `target` as it arrives, and
        return the call's result for the response's head.
        """
        ...

    def upload(self, call: Call[T], source: Source) -> T:
        """Send the call's request with `source` as its body, read as it is sent."""
        ...


class AsyncDriver(Protocol):
    """What an async driver offers: perform a call or a whole flow, awaitable."""

    def execute(self, call: Call[T]) -> Coroutine[Any, Any, T]:
        """Send the call's request and parse the response."""
        ...

    def run(self, flow: Flow[T]) -> Coroutine[Any, Any, T]:
        """Run a flow to its end, performing each effect it yields."""
        ...

    @property
    def pacing(self) -> Pacing:
        """The pace of the helpers' loops, with the driver's random source for jitter."""
        ...

    def iterate(self, stream: Stream[V]) -> AsyncWatchIterator[V]:
        """Iterate asynchronously over the values a stream emits."""
        ...

    def hold(self, held: H) -> AbstractAsyncContextManager[H]:
        """Hold `held` for the length of an ``async with`` block (renewed and monitored by
        tasks; the body is cancelled when it is lost).
        """
        ...

    def stream(self, call: StreamCall[V]) -> AsyncWatchIterator[V]:
        """Iterate asynchronously over the items of a streamed response."""
        ...

    def download(self, call: Call[T], target: AsyncSink) -> Coroutine[Any, Any, T]:
        """Send the call's request, write the response's body to `target` as it arrives, and
        return the call's result for the response's head.
        """
        ...

    def upload(self, call: Call[T], source: AsyncSource) -> Coroutine[Any, Any, T]:
        """Send the call's request with `source` as its body, read as it is sent."""
        ...


D = TypeVar("D", SyncDriver, AsyncDriver)


class Namespace(Generic[D]):
    """Endpoints (and watches, and held helpers) bound to one driver.

    A namespace holds others, bound to the same driver, through its class's annotations: each
    one whose type is a namespace (``tokens: ACLTokens[D]``) declares one, made at ``__init__``.

    Attributes:
        driver: Performs what the namespace's methods build: ``execute(call)`` and
            ``run(flow)``.
    """

    def __init__(self, driver: D) -> None:
        self.driver: D = driver
        cls = type(self)
        parts = _PARTS.get(cls)
        if parts is None:
            parts = _PARTS[cls] = _parts(cls)
        for name, kind in parts:
            setattr(self, name, kind(driver))


_Parts = tuple[tuple[str, type[Namespace[Any]]], ...]
_PARTS: dict[type[Namespace[Any]], _Parts] = {}  # by namespace class, found at its first use


def _parts(cls: type[Namespace[Any]]) -> _Parts:
    """The namespaces that `cls` and its bases hold: their annotations whose type is one."""
    parts: dict[str, type[Namespace[Any]]] = {}
    for owner in reversed(cls.__mro__):
        scope = getattr(sys.modules.get(owner.__module__), "__dict__", {})
        for name, annotation in inspect.get_annotations(owner).items():
            try:
                hint = eval(annotation, scope) if isinstance(annotation, str) else annotation
            except NameError:  # a name only the type checkers see: not a class to make
                continue
            kind = get_origin(hint) or hint
            if isinstance(kind, type) and issubclass(kind, Namespace):
                parts[name] = kind
    return tuple(parts.items())


S = TypeVar("S")
A = TypeVar("A")


class _Method(ABC, Generic[S, A]):
    """The base of the descriptors below: a method of a namespace, typed `S` on a namespace of
    a sync driver and `A` on one of an async driver (the descriptor itself on the class).
    """

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: Namespace[SyncDriver], owner: type[Any]) -> S: ...
    @overload
    def __get__(self, obj: Namespace[AsyncDriver], owner: type[Any]) -> A: ...
    def __get__(self, obj: Namespace[Any] | None, owner: type[Any]) -> Any:
        return self if obj is None else self._bind(obj)

    @abstractmethod
    def _bind(self, namespace: Namespace[Any]) -> Any:
        """The method bound to `namespace`'s driver."""


class endpoint(_Method[Callable[P, T], Callable[P, Coroutine[Any, Any, T]]], Generic[P, T]):
    """A descriptor that turns a request builder into a method of a namespace."""

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def _bind(self, namespace: Namespace[Any]) -> Any:
        bound = _performing(self._build, namespace.driver.execute)
        # Bind once per namespace: later lookups find the method in the instance's dict.
        vars(namespace)[self._name] = bound
        return bound


def _performing(build: Callable[P, Any], perform: Callable[[Any], Any]) -> Callable[P, Any]:
    """`build`, its result handed to `perform` (a driver's method): a namespace's method."""
    performing = getattr(build, "performing", None)
    # A checked builder (`endpoints._options.builder`) makes its own.
    bound: Callable[P, Any] = (
        _handed_on(build, perform) if performing is None else performing(perform)
    )
    bound.__signature__ = _performed_signature(build, perform)  # type: ignore[attr-defined]
    return bound


def _handed_on(build: Callable[P, Any], perform: Callable[[Any], Any]) -> Callable[P, Any]:
    """`build`, its result handed to `perform`."""

    @functools.wraps(build)
    def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
        return perform(build(*args, **kwargs))

    return bound


def _awaited(driver: object) -> bool:
    """Whether `driver` (a namespace's) is an async one: its methods return coroutines."""
    return inspect.iscoroutinefunction(getattr(driver, "execute", None))


# What a builder's return annotation says it builds: a call, a flow or a streamed call, of what.
_BUILT = re.compile(r"^(Call|Flow|StreamCall)\[(.+)\]$")


def _performed_signature(
    build: Callable[..., Any], perform: Callable[[Any], Any]
) -> inspect.Signature:
    """The signature a namespace's method shows (``help()``, `inspect.signature`): the
    builder's arguments, and what the method returns rather than what the builder builds.
    """
    signature = inspect.signature(build)
    found = _BUILT.match(str(signature.return_annotation))
    if found is None:
        return signature
    built, result = found.groups()
    awaited = _awaited(getattr(perform, "__self__", None))
    if built == "StreamCall":
        returns = f"{'AsyncIterator' if awaited else 'Iterator'}[{result}]"
    else:
        returns = f"Coroutine[Any, Any, {result}]" if awaited else result
    return signature.replace(return_annotation=returns)


_WATCH_DOC = """Watch this read: iterate over ``(value, meta)`` each time its index advances
with a new value (an iterator; an async iterator on the async clients).

The value is None while the object does not exist (the read's `NotFound` is handed out so, not
raised). A ``watch=`` argument gives the index to start after and the wait of each blocking
read. Transport errors, 429 and 5xx are retried with backoff; other errors end the watch. Leave
it with ``break`` / ``close()`` (``aclose()``).

The read, made for each of the watch's blocking reads (what it returns is each value handed
out; the errors it raises are the watch's, but for `NotFound`):

"""
# A read's return annotation, ``Call[tuple[<value>, QueryMeta]]``: its value's type.
_READ_VALUE = re.compile(r"^Call\[tuple\[(.+), QueryMeta\]\]$")


def _watch_signature(build: Callable[..., Any], awaited: bool) -> inspect.Signature:
    """The signature a watch method shows: the read's arguments, and what the watch hands out."""
    signature = inspect.signature(build)
    found = _READ_VALUE.match(str(signature.return_annotation))
    value = f"{found[1]} | None" if found else "Any"
    iterator = "AsyncIterator" if awaited else "Iterator"
    return signature.replace(return_annotation=f"{iterator}[tuple[{value}, QueryMeta]]")


class ran(_Method[Callable[P, T], Callable[P, Coroutine[Any, Any, T]]], Generic[P, T]):
    """A descriptor that turns a function returning a `Flow` into a method of a namespace that
    runs it (``destroy_lock = ran(destroy_lock)``): the flow's result on a sync client, a
    coroutine of it on an async one.
    """

    def __init__(self, build: Callable[P, Flow[T]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__

    def _bind(self, namespace: Namespace[Any]) -> Any:
        return _performing(self._build, namespace.driver.run)


class watcher(
    _Method[
        Callable[P, WatchIterator[tuple[V | None, QueryMeta]]],
        Callable[P, AsyncWatchIterator[tuple[V | None, QueryMeta]]],
    ],
    Generic[P, V],
):
    """A descriptor that turns a blocking read builder into a watch method of a namespace.

    Args:
        build: Any builder whose call returns ``(value, QueryMeta)`` and that has a ``watch=``
            option.
        ordered: False for a read whose index is not a Raft index (the event list's is a hash
            of the newest event's ID): only a change of it counts.
    """

    def __init__(
        self, build: Callable[P, Call[tuple[V, QueryMeta]]], *, ordered: bool = True
    ) -> None:
        if "watch" not in inspect.signature(build).parameters:
            raise TypeError(f"{build.__name__} is not a blocking read: it has no watch= option")
        self._build = build
        self._ordered = ordered
        self.__doc__ = _WATCH_DOC + (build.__doc__ or "")

    def _bind(self, namespace: Namespace[Any]) -> Any:
        build, ordered = self._build, self._ordered
        driver = namespace.driver

        @functools.wraps(build)
        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            read, index, wait = blocking_read(build, args, kwargs)
            stream = watch(read, pacing=driver.pacing, index=index, wait=wait, ordered=ordered)
            return driver.iterate(stream)

        bound.__doc__ = self.__doc__
        bound.__signature__ = _watch_signature(build, _awaited(driver))  # type: ignore[attr-defined]
        return bound


class holder(
    _Method[Callable[P, AbstractContextManager[H]], Callable[P, AbstractAsyncContextManager[H]]],
    Generic[P, H],
):
    """A descriptor that turns a `Held` class into a method of a namespace that holds one for
    the length of a ``with`` block (``async with`` on the async clients).

    The method takes the class's arguments; a ``pacing=`` left out (or None) is the client's.
    """

    def __init__(self, make: Callable[P, H]) -> None:
        if "pacing" not in inspect.signature(make).parameters:
            raise TypeError(f"{make!r} takes no pacing= argument")
        self._make = make
        self.__doc__ = make.__doc__

    def _bind(self, namespace: Namespace[Any]) -> Any:
        make = self._make
        driver = namespace.driver

        @functools.wraps(make)
        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            pacing = kwargs.get("pacing")
            if pacing is None:
                kwargs["pacing"] = driver.pacing
            elif isinstance(pacing, Pacing) and pacing.random is None:
                kwargs["pacing"] = attrs.evolve(pacing, random=driver.pacing.random)
            return driver.hold(make(*args, **kwargs))

        return bound


class iterated(
    _Method[Callable[P, WatchIterator[V]], Callable[P, AsyncWatchIterator[V]]], Generic[P, V]
):
    """A decorator that turns a namespace method returning a `Stream` into one that iterates over
    the values the stream emits: an iterator on a sync client, an async iterator on an async
    one (the driver performs the stream's other effects).

    The decorated method is written once, for every driver; it takes the namespace and the
    method's arguments.
    """

    def __init__(self, make: Callable[Concatenate[Any, P], Stream[V]]) -> None:
        self._make = make
        self.__doc__ = make.__doc__

    def _bind(self, namespace: Namespace[Any]) -> Any:
        method = types.MethodType(self._make, namespace)
        iterate = namespace.driver.iterate

        @functools.wraps(method)
        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            return iterate(method(*args, **kwargs))

        return bound


_STREAM_DOC = """The connection stays open while the iterator does: leave it with ``with`` (``async
with``) or ``close()`` (``aclose()``), which closes the connection at once. It counts as a
blocking query in the client's connection budget. The iterator is an async one on the async
clients."""


class streamed(
    _Method[Callable[P, WatchIterator[V]], Callable[P, AsyncWatchIterator[V]]], Generic[P, V]
):
    """A descriptor that turns a builder of a response read as it arrives (a `StreamCall`) into
    a method of a namespace that iterates over its pieces: an iterator on a sync client, an
    async iterator on an async one.
    """

    def __init__(self, build: Callable[P, StreamCall[V]]) -> None:
        self._build = build
        text, sections, after = _docstrings.split(inspect.cleandoc(build.__doc__ or ""), SECTIONS)
        self.__doc__ = _docstrings.join([*text, "", _STREAM_DOC], sections.items(), after)

    def _bind(self, namespace: Namespace[Any]) -> Any:
        bound = _performing(self._build, namespace.driver.stream)
        bound.__doc__ = self.__doc__
        return bound
