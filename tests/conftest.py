"""Shared fixtures: every driver test runs under asyncio, trio and sync.

Tests are written once as ``async def`` functions taking ``flavor``-parametrized fixtures. Under
``sync`` the test runs on asyncio but talks to the real sync client through `SyncAsAsync`, which
runs each blocking call in a worker thread: the sync driver and transport do all the work.
The sync helpers are bridged the same way: a watch's ``next()`` runs in a worker thread, and a
lock's (semaphore's, keepalive's) ``__enter__`` and ``__exit__`` too, while the body of the block
runs in the test.
trio is required: a missing trio fails these tests instead of skipping them.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import anyio.to_thread
import pytest
from hypothesis import HealthCheck, settings

from consul_core import Namespace, Transaction
from consul_core.namespaces import holder, watcher
from consul_core.namespaces.txn import CheckVerbs, NodeVerbs, ServiceVerbs
from consul_transports.testing import ConsulAgent

# No deadline for a hypothesis example: on a loaded machine (CI runs four Pythons side by side)
# one can take seconds, which says nothing about the code under test.
settings.register_profile("untimed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("untimed")

FLAVORS = ("asyncio", "trio", "sync")
# Methods of the sync client that do no I/O: called directly, their results proxied again.
_LOCAL_METHODS = frozenset({"prepare"})
_END = object()
# What builds a transaction without I/O: its verbs are called directly, their results proxied.
_TXN_BUILDERS = (Transaction, NodeVerbs, ServiceVerbs, CheckVerbs)
# Methods that return a stream (an iterator held open): bridged like watches.
_STREAMS = frozenset({"monitor", "monitor_json", "metrics_stream"})


def _is_helper(target: Any, name: str) -> bool:
    """Whether `name` is a watch (a `watcher`, or a method such as ``services.watch``) or a held
    helper (``client.lock``; ``kv.lock`` is an endpoint).
    """
    static = inspect.getattr_static(target, name, None)
    return isinstance(static, (watcher, holder)) or name.startswith("watch") or name in _STREAMS


class SyncAsAsync:
    """Presents a sync client with the async client's shape, for tests written once."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if isinstance(value, (Namespace, *_TXN_BUILDERS)):
            return SyncAsAsync(value)
        if not callable(value):
            return value
        if _is_helper(self._target, name):
            return _bridged(value)
        local = name in _LOCAL_METHODS or (
            isinstance(self._target, _TXN_BUILDERS) and name != "execute"
        )
        if local:
            return _proxied(value)

        async def in_thread(*args: Any, **kwargs: Any) -> Any:
            return await anyio.to_thread.run_sync(functools.partial(value, *args, **kwargs))

        return in_thread


def _proxied(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        return SyncAsAsync(method(*args, **kwargs))

    return call


def _bridged(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        return (
            _ThreadedIterator(result) if hasattr(result, "__next__") else _ThreadedContext(result)
        )

    return call


class _ThreadedContext:
    """A sync context manager entered and left in worker threads."""

    def __init__(self, manager: Any) -> None:
        self._manager = manager

    async def __aenter__(self) -> Any:
        return await anyio.to_thread.run_sync(self._manager.__enter__)

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await anyio.to_thread.run_sync(self._manager.__exit__, *exc_info)


class _ThreadedIterator:
    """A sync iterator (with ``close``) advanced in worker threads."""

    def __init__(self, iterator: Any) -> None:
        self._iterator = iterator

    def __aiter__(self) -> _ThreadedIterator:
        return self

    async def __anext__(self) -> Any:
        item = await anyio.to_thread.run_sync(next, self._iterator, _END)
        if item is _END:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        await anyio.to_thread.run_sync(self._iterator.close)

    async def __aenter__(self) -> _ThreadedIterator:
        await anyio.to_thread.run_sync(self._iterator.__enter__)  # a stream opens here
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()


@pytest.fixture(params=FLAVORS)
def flavor(request: pytest.FixtureRequest) -> str:
    """The driver under test: ``asyncio``, ``trio`` or ``sync``."""
    return str(request.param)


@pytest.fixture
def anyio_backend(flavor: str) -> str:
    """The event loop the test body runs on (sync tests run theirs on asyncio threads)."""
    return "trio" if flavor == "trio" else "asyncio"


def make_client(flavor: str, address: str | None = None, **options: Any) -> Any:
    """A client of the given flavor, with the async shape (see `SyncAsAsync`)."""
    if flavor == "sync":
        from consul_transports.sync import Consul as SyncConsul

        return _SyncClientContext(SyncConsul(address, **options))
    if flavor == "trio":
        from consul_transports.trio import Consul as TrioConsul

        return TrioConsul(address, **options)
    from consul_transports.asyncio import Consul as AsyncioConsul

    return AsyncioConsul(address, **options)


class _SyncClientContext(SyncAsAsync):
    async def __aenter__(self) -> _SyncClientContext:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._target.close()


@pytest.fixture(scope="session")
def restartable_agent() -> Iterator[ConsulAgent]:
    """A private agent that tests may restart (it keeps its ports, loses its data)."""
    with ConsulAgent() as agent:
        yield agent


@pytest.fixture
def unique() -> str:
    """A unique name, to keep tests that share an agent apart."""
    return f"t-{uuid.uuid4().hex[:12]}"
