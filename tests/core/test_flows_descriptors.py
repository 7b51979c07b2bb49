"""The `watcher`, `holder` and `iterated` descriptors, and the namespaces a namespace holds: one
definition, bound to any driver, no I/O.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import pytest

from consul_core import UsageError
from consul_core.endpoints import agent_stream, kv
from consul_core.flows import Emit, Keepalive, Lock, Pacing, Stream, destroy_lock
from consul_core.namespaces import Namespace, endpoint, holder, iterated, ran, streamed, watcher
from tests.core.flowscript import Script, entry, reply

if TYPE_CHECKING:
    from decimal import Decimal


def draw() -> float:
    return 0.5


class Recorder:
    """A driver that records what it is asked to iterate and hold."""

    pacing = Pacing(min_interval=0, random=draw)

    def iterate(self, stream: Any) -> Any:
        return stream

    def hold(self, held: Any) -> Any:
        return held


class Group(Namespace[Any]):
    watch = watcher(kv.get)
    lock = holder(Lock)

    @iterated
    def countdown(self, start: int, *, step: int = 1) -> Stream[int]:
        """Emit `start` down to 0."""
        for value in range(start, -1, -step):
            yield Emit(value)


class Outer(Group):
    inner: Group
    label: str
    seen_by_type_checkers_only: Decimal


def test_a_namespaces_annotations_of_namespaces_declare_the_ones_it_holds() -> None:
    driver = Recorder()
    outer = Outer(driver)
    assert type(outer.inner) is Group and outer.inner.driver is driver
    assert vars(outer).keys() == {"driver", "inner"}


def test_a_watcher_builds_the_stream_with_the_drivers_pacing() -> None:
    group = Group(Recorder())
    script = Script(group.watch("cfg", consistency="stale"))
    script.call("GET", "/v1/kv/cfg?stale", reply(body=[entry("cfg", b"v")], index=3))
    value, meta = script.emit()
    assert (value.value, meta.index) == (b"v", 3)
    script.call("GET", "/v1/kv/cfg?stale&index=3&wait=300s", reply(body=[], index=3))
    assert "Watch this read" in (Group.watch.__doc__ or "")
    assert "Read one key" in (group.watch.__doc__ or "")


class AsyncRecorder(Recorder):
    async def execute(self, call: Any) -> Any:
        return call


def test_a_watch_method_shows_what_it_hands_out() -> None:
    # help() showed the read's return (a Call) for a watch, which iterates over its values.
    sync_watch, async_watch = Group(Recorder()).watch, Group(AsyncRecorder()).watch
    assert str(inspect.signature(sync_watch).return_annotation) == (
        "Iterator[tuple[KeyValue | None, QueryMeta]]"
    )
    assert str(inspect.signature(async_watch).return_annotation) == (
        "AsyncIterator[tuple[KeyValue | None, QueryMeta]]"
    )
    assert list(inspect.signature(sync_watch).parameters) == list(
        inspect.signature(kv.get).parameters
    )
    assert "the read's `NotFound` is handed out so, not\nraised" in (sync_watch.__doc__ or "")


class SyncPerformer(Recorder):
    def execute(self, call: Any) -> Any:
        return call

    run = stream = execute


class AsyncPerformer(Recorder):
    async def execute(self, call: Any) -> Any:
        return call

    run = execute

    def stream(self, call: Any) -> Any:
        return call


class Performed(Namespace[Any]):
    get = endpoint(kv.get)
    monitor = streamed(agent_stream.monitor)
    destroy = ran(destroy_lock)


def test_a_method_shows_what_it_returns_not_what_its_builder_builds() -> None:
    # help(client.kv.get) showed ``-> Call[tuple[KeyValue, QueryMeta]]``: the builder's return.
    shown = {
        awaited: {
            name: str(inspect.signature(getattr(Performed(driver), name)).return_annotation)
            for name in ("get", "monitor", "destroy")
        }
        for awaited, driver in ((False, SyncPerformer()), (True, AsyncPerformer()))
    }
    assert shown[False] == {
        "get": "tuple[KeyValue, QueryMeta]",
        "monitor": "Iterator[str]",
        "destroy": "None",
    }
    assert shown[True] == {
        "get": "Coroutine[Any, Any, tuple[KeyValue, QueryMeta]]",
        "monitor": "AsyncIterator[str]",
        "destroy": "Coroutine[Any, Any, None]",
    }
    assert list(inspect.signature(Performed(SyncPerformer()).get).parameters) == list(
        inspect.signature(kv.get).parameters
    )


def test_a_watcher_validates_before_any_request() -> None:
    with pytest.raises(UsageError):
        Group(Recorder()).watch("/absolute")


def test_a_holder_passes_the_drivers_pacing_unless_given_one() -> None:
    group = Group(Recorder())
    lock = group.lock("k", ttl="10s")
    assert isinstance(lock, Lock) and lock._pacing is Recorder.pacing
    mine = Pacing(lock_retry=5)
    lock = group.lock("k", pacing=mine)
    assert lock._pacing.lock_retry == 5 and lock._pacing.random is draw
    assert Group.lock.__doc__ == Lock.__doc__


def test_a_holder_needs_a_pacing_argument() -> None:
    with pytest.raises(TypeError, match="pacing"):
        holder(Emit)  # type: ignore[arg-type,type-var]


def test_a_held_keepalive_is_validated_before_any_request() -> None:
    class Sessions(Namespace[Any]):
        keepalive = holder(Keepalive)

    with pytest.raises(UsageError):
        Sessions(Recorder()).keepalive(ttl="1s")


def test_an_iterated_method_hands_its_stream_to_the_driver() -> None:
    group = Group(Recorder())
    stream = group.countdown(4, step=2)
    assert [step.value for step in stream] == [4, 2, 0]
    assert (
        str(inspect.signature(group.countdown))
        == "(start: 'int', *, step: 'int' = 1) -> 'Stream[int]'"
    )
    assert group.countdown.__doc__ == Group.countdown.__doc__ == "Emit `start` down to 0."
