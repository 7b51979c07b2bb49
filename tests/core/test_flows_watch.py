"""The watch flow, scripted effect by effect: index rules, rate limit, backoff, 404s."""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import (
    BlockingState,
    ConnectError,
    KeyValue,
    PermissionDenied,
    QueryMeta,
    Sleep,
    UsageError,
)
from consul_core.backoff import Backoff
from consul_core.endpoints import kv, session, status
from consul_core.flows import (
    Emit,
    NoticeKind,
    Pacing,
    Stream,
    blocking_read,
    perform,
    until,
    watch,
)
from consul_core.namespaces import watcher
from tests.core.flowscript import Script, entry, reply

PACING = Pacing(min_interval=0.1, backoff=Backoff(initial=0.25, maximum=1, jitter=0))
KEY = "/v1/kv/cfg"


def key_watch(*args: Any, pacing: Pacing = PACING, **kwargs: Any) -> Stream[Any]:
    read, index, wait = blocking_read(kv.get, ("cfg", *args), kwargs)
    return watch(read, pacing=pacing, index=index, wait=wait)


def value(item: tuple[KeyValue | None, QueryMeta]) -> tuple[bytes | None, int]:
    found, meta = item
    return (found.value if found else None), meta.index


def test_first_read_does_not_block_then_each_blocks_on_the_last_index() -> None:
    script = Script(key_watch(watch=(0, "30s")))
    script.call("GET", KEY, reply(body=[entry("cfg", b"a")], index=5))
    assert value(script.emit()) == (b"a", 5)
    script.now(100.0)
    script.call("GET", f"{KEY}?index=5&wait=30s", reply(body=[entry("cfg", b"b")], index=9))
    assert value(script.emit()) == (b"b", 9)
    script.now(101.0)
    request = script.call("GET", f"{KEY}?index=9&wait=30s", reply(body=[entry("cfg")], index=9))
    assert request.timeout == pytest.approx(30 + 30 / 16 + 5)
    # The wait ran out with the index unchanged: nothing to hand out; block again.
    script.now(131.0)
    script.call("GET", f"{KEY}?index=9&wait=30s", reply(body=[entry("cfg", b"c")], index=12))
    assert value(script.emit()) == (b"c", 12)
    script.close()


def test_a_missing_key_is_none_and_the_watch_goes_on() -> None:
    script = Script(key_watch())
    script.call("GET", KEY, reply(404, b"", index=3))
    assert value(script.emit()) == (None, 3)
    script.now(0.0)
    script.call("GET", f"{KEY}?index=3&wait=300s", reply(body=[entry("cfg", b"x")], index=4))
    assert value(script.emit()) == (b"x", 4)
    script.now(1.0)
    script.call("GET", f"{KEY}?index=4&wait=300s", reply(404, b"", index=6))
    assert value(script.emit()) == (None, 6)


def test_an_index_that_goes_backwards_resets_to_a_read_that_does_not_block() -> None:
    script = Script(key_watch())
    script.call("GET", KEY, reply(body=[entry("cfg", b"old")], index=500))
    script.emit()
    script.now(0.0)
    script.call("GET", f"{KEY}?index=500&wait=300s", reply(body=[entry("cfg", b"new")], index=7))
    assert value(script.emit()) == (b"new", 7)
    # Reset: read again without blocking; the same index is not news twice.
    script.call("GET", KEY, reply(body=[entry("cfg", b"new")], index=7))
    script.now(1.0)
    script.call("GET", f"{KEY}?index=7&wait=300s", reply(body=[entry("cfg", b"z")], index=8))
    assert value(script.emit()) == (b"z", 8)
    # The reset is told, once, naming the read and both indexes.
    assert [(n.kind, n.message) for n in script.notices] == [
        (
            NoticeKind.INDEX_RESET,
            f"watch of GET {KEY}: the index went back from 500 to 7; reading again without "
            "blocking",
        )
    ]


def test_an_index_below_one_is_treated_as_one() -> None:
    script = Script(key_watch())
    script.call("GET", KEY, reply(404, b"", index=0))
    assert value(script.emit()) == (None, 0)
    script.now(0.0)
    script.call("GET", f"{KEY}?index=1&wait=300s", reply(body=[entry("cfg", b"x")], index=2))
    assert value(script.emit()) == (b"x", 2)


def test_a_new_index_with_the_same_value_is_not_news() -> None:
    # Consul answers a read of a missing key with the index of the whole KV table, which
    # unrelated writes move: Go's watch plan hands out only a changed result, and so does this.
    script = Script(key_watch())
    script.call("GET", KEY, reply(404, b"", index=3))
    assert value(script.emit()) == (None, 3)
    for now, index in ((1.0, 3), (2.0, 7)):
        script.now(now)
        script.call("GET", f"{KEY}?index={index}&wait=300s", reply(404, b"", index=index + 4))
    script.now(3.0)
    script.call("GET", f"{KEY}?index=11&wait=300s", reply(body=[entry("cfg", b"x")], index=12))
    assert value(script.emit()) == (b"x", 12)
    script.now(4.0)
    script.call("GET", f"{KEY}?index=12&wait=300s", reply(404, b"", index=13))
    assert value(script.emit()) == (None, 13)
    script.close()


def test_from_a_starting_index_the_first_new_reply_is_news_even_if_missing() -> None:
    # The value at the starting index is not known: a key deleted since is handed out as None.
    script = Script(key_watch(watch=9))
    script.now(0.0)
    script.call("GET", f"{KEY}?index=9&wait=300s", reply(404, b"", index=10))
    assert value(script.emit()) == (None, 10)
    script.close()


def test_blocking_reads_in_a_row_are_rate_limited() -> None:
    script = Script(key_watch())
    script.call("GET", KEY, reply(body=[entry("cfg", b"1")], index=1))
    script.emit()
    script.now(10.0)  # the first blocking read right after the first read: no pause
    script.call("GET", f"{KEY}?index=1&wait=300s", reply(body=[entry("cfg", b"2")], index=2))
    script.emit()
    script.now(10.03)  # 30 ms after the last blocking read started: wait the other 70 ms
    script.sleep(0.07)
    script.call("GET", f"{KEY}?index=2&wait=300s", reply(body=[entry("cfg", b"3")], index=3))
    script.emit()
    script.now(60.0)  # that read blocked long: no pause
    script.call("GET", f"{KEY}?index=3&wait=300s", reply(body=[entry("cfg", b"4")], index=4))
    script.emit()
    script.close()


def test_replies_without_an_index_are_paced_not_a_busy_loop() -> None:
    # A proxy that drops X-Consul-Index: each reply reads as 0, below the 1 sent, so each
    # blocking read is followed by a reset and a read that does not block.
    script = Script(key_watch())
    script.call("GET", KEY, reply(body=[entry("cfg", b"a")], index=0))
    script.emit()
    script.now(10.0)
    script.call("GET", f"{KEY}?index=1&wait=300s", reply(body=[entry("cfg", b"a")], index=0))
    for started in (10.1, 10.2):
        script.call("GET", KEY, reply(body=[entry("cfg", b"a")], index=0))
        script.now(started - 0.09)  # 10 ms after the last blocking read started
        script.sleep(pytest.approx(0.09))
        script.call("GET", f"{KEY}?index=1&wait=300s", reply(body=[entry("cfg", b"a")], index=0))
    script.close()


def test_no_rate_limit_reads_no_clock() -> None:
    script = Script(key_watch(pacing=Pacing(min_interval=0)))
    script.call("GET", KEY, reply(body=[entry("cfg")], index=1))
    script.emit()
    script.call("GET", f"{KEY}?index=1&wait=300s", reply(body=[entry("cfg", b"x")], index=2))
    script.emit()


def test_errors_back_off_then_read_without_blocking_and_skip_an_unchanged_index() -> None:
    script = Script(key_watch())
    script.call("GET", KEY, reply(body=[entry("cfg", b"a")], index=5))
    script.emit()
    script.now(0.0)
    script.call("GET", f"{KEY}?index=5&wait=300s", ConnectError("connection refused"))
    script.sleep(0.25)
    script.call("GET", KEY, reply(500, b"No cluster leader"))
    script.sleep(0.5)
    script.call("GET", KEY, reply(429, b"rate limit exceeded"))
    script.sleep(1.0)
    script.call("GET", KEY, ConnectError("connection refused"))
    script.sleep(1.0)  # capped
    script.call("GET", KEY, reply(body=[entry("cfg", b"a")], index=5))
    # Same index as before the errors: not news. The backoff starts again after a success.
    script.now(9.0)
    script.call("GET", f"{KEY}?index=5&wait=300s", ConnectError("connection refused"))
    script.sleep(0.25)
    script.call("GET", KEY, reply(body=[entry("cfg", b"b")], index=2))
    assert value(script.emit()) == (b"b", 2)
    # Each backoff is told, with the error and the delay; and so is an index that went back
    # while the agent could not be read (an agent restarted without its data).
    assert [n.kind for n in script.notices] == [NoticeKind.BACKOFF] * 5 + [NoticeKind.INDEX_RESET]
    assert script.notices[-1].message == (
        f"watch of GET {KEY}: the index went back from 5 to 2 while the agent could not be read"
    )
    assert script.notices[0].message == (
        f"watch of GET {KEY} failed (ConnectError: connection refused); reading again in 0.25s"
    )
    assert "ServerError: 500 GET /v1/kv/cfg: No cluster leader" in script.notices[1].message


def test_a_429_or_503_that_asks_for_a_longer_wait_gets_it_up_to_the_backoffs_maximum() -> None:
    script = Script(key_watch())
    script.call("GET", KEY, reply(429, b"slow down", headers={"Retry-After": "0"}))
    script.sleep(0.25)  # asked for less than the backoff: the backoff's
    script.call("GET", KEY, reply(503, b"busy", headers={"Retry-After": "0.75"}))
    script.sleep(0.5)  # not whole seconds: not understood, the backoff's
    script.call("GET", KEY, reply(429, b"slow down", headers={"Retry-After": "30"}))
    script.sleep(1.0)  # the backoff's maximum
    script.call("GET", KEY, reply(body=[entry("cfg", b"a")], index=5))
    script.emit()


def test_a_retry_after_date_is_taken_against_the_replys_date() -> None:
    pacing = Pacing(min_interval=0, backoff=Backoff(initial=0.25, maximum=10, jitter=0))
    script = Script(key_watch(pacing=pacing))
    asked = {
        "Retry-After": "Wed, 02 Dec 2026 04:00:02 GMT",
        "Date": "Wed, 02 Dec 2026 04:00:00 GMT",
    }
    script.call("GET", KEY, reply(503, b"busy", headers=asked))
    script.sleep(2.0)
    assert "reading again in 2.00s" in script.notices[-1].message
    script.call("GET", KEY, reply(429, b"slow down", headers={"Retry-After": "60"}))
    script.sleep(10.0)


def test_after_an_error_a_reused_index_with_another_value_is_news() -> None:
    # A dev agent that restarted lost its data, and its new write landed on the same index.
    script = Script(key_watch())
    script.call("GET", KEY, reply(body=[entry("cfg", b"before")], index=12))
    script.emit()
    script.now(0.0)
    script.call("GET", f"{KEY}?index=12&wait=300s", ConnectError("connection refused"))
    script.sleep(0.25)
    script.call("GET", KEY, reply(body=[entry("cfg", b"after")], index=12))
    assert value(script.emit()) == (b"after", 12)
    script.now(1.0)
    script.call("GET", f"{KEY}?index=12&wait=300s", reply(body=[entry("cfg", b"x")], index=12))
    script.now(2.0)  # without an error in between, the same index is not news
    script.call("GET", f"{KEY}?index=12&wait=300s", reply(body=[entry("cfg", b"x")], index=13))
    assert value(script.emit()) == (b"x", 13)


def test_other_errors_end_the_watch() -> None:
    script = Script(key_watch())
    script.call("GET", KEY, reply(403, b"Permission denied"))
    script.raises(PermissionDenied)


def test_a_starting_index_hands_out_only_what_changes_after_it() -> None:
    script = Script(key_watch(watch=(QueryMeta(index=7), "10s")))
    script.now(0.0)
    script.call("GET", f"{KEY}?index=7&wait=10s", reply(body=[entry("cfg")], index=7))
    script.now(10.0)
    script.call("GET", f"{KEY}?index=7&wait=10s", reply(body=[entry("cfg", b"n")], index=8))
    assert value(script.emit()) == (b"n", 8)


def test_a_bare_index_blocks_with_consuls_default_wait() -> None:
    script = Script(key_watch(watch=4))
    script.now(0.0)
    script.call("GET", f"{KEY}?index=4&wait=300s", reply(body=[entry("cfg")], index=5))
    script.emit()


def test_the_reads_arguments_pass_through() -> None:
    read, index, wait = blocking_read(kv.keys, ("p/",), {"separator": "/", "dc": "dc2"})
    script = Script(watch(read, pacing=PACING, index=index, wait=wait))
    script.call("GET", "/v1/kv/p/?dc=dc2&keys&separator=%2F", reply(body=["p/a"], index=2))
    assert script.emit()[0] == ["p/a"]


def test_arguments_are_validated_before_any_request() -> None:
    with pytest.raises(UsageError):
        blocking_read(kv.get, ("/bad",), {})
    with pytest.raises(UsageError):
        blocking_read(kv.get, ("k",), {"watch": (1, "soon")})
    with pytest.raises(UsageError):
        blocking_read(session.items, (), {"consistency": "eventual"})


def test_a_watcher_needs_a_blocking_read() -> None:
    with pytest.raises(TypeError, match="no watch= option"):
        watcher(status.leader)  # type: ignore[arg-type]


def test_blocking_state_rules_used_by_the_watch() -> None:
    assert BlockingState().advance(0) == (BlockingState(1, True, 0), True)
    assert BlockingState(9, True, 9).advance(3) == (BlockingState(0, True, 3), True)


def test_until_passes_effects_and_errors_through_and_closes_the_stream() -> None:
    closed = []

    def stream() -> Stream[int]:
        try:
            yield Sleep(1)
            yield Emit(1)
            try:
                yield from perform(status.leader())
            except ConnectError:
                yield Emit(2)
            yield Emit(3)
        finally:
            closed.append(True)

    script = Script(until(stream(), lambda n: f"saw {n}" if n > 1 else None))
    script.sleep(1)
    script.call("GET", "/v1/status/leader", ConnectError("down"))
    assert script.returns() == "saw 2"
    assert closed == [True]
