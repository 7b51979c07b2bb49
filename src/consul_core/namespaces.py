"""The device that lets one endpoint definition serve the sync and the async clients, typed.

A namespace class (``class KV(Namespace[D])``) lists endpoints as ``get = endpoint(kv.get)``.
Reading ``client.kv.get`` binds the builder to the client's executor: on a sync client it is typed
``(key, ...) -> tuple[KeyValue, QueryMeta]``, on an async client
``(key, ...) -> Coroutine[Any, Any, tuple[KeyValue, QueryMeta]]``, from the one definition.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, overload

from consul_core.call import Call, Flow

__all__ = ["AsyncExecutor", "D", "Namespace", "SyncExecutor", "endpoint"]

T = TypeVar("T")
P = ParamSpec("P")


class SyncExecutor(Protocol):
    """What a sync driver offers: perform a call or a whole flow, blocking."""

    def execute(self, call: Call[T]) -> T:
        """Send the call's request and parse the response."""
        ...

    def run(self, flow: Flow[T]) -> T:
        """Run a flow to its end, performing each effect it yields."""
        ...


class AsyncExecutor(Protocol):
    """What an async driver offers: perform a call or a whole flow, awaitable."""

    def execute(self, call: Call[T]) -> Coroutine[Any, Any, T]:
        """Send the call's request and parse the response."""
        ...

    def run(self, flow: Flow[T]) -> Coroutine[Any, Any, T]:
        """Run a flow to its end, performing each effect it yields."""
        ...


D = TypeVar("D", SyncExecutor, AsyncExecutor)


class Namespace(Generic[D]):
    """A group of endpoints bound to one executor (a driver)."""

    def __init__(self, driver: D) -> None:
        self._driver: D = driver


class endpoint(Generic[P, T]):
    """A descriptor that turns a request builder into a method of a namespace."""

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> endpoint[P, T]: ...
    @overload
    def __get__(self, obj: Namespace[SyncExecutor], owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: Namespace[AsyncExecutor], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: Namespace[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        build = self._build
        execute = obj._driver.execute

        @functools.wraps(build)
        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            return execute(build(*args, **kwargs))

        return bound
