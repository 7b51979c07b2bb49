"""The lock flows, scripted effect by effect: acquire, contention, lock-delay, loss, release."""

from __future__ import annotations

import json

import pytest

from consul_core import ConnectError, LockLost, UsageError
from consul_core.backoff import Backoff
from consul_core.flows import LOCK_FLAG, Lock, LockConflict, Pacing
from tests.core.flowscript import Script, entry, reply

PACING = Pacing(min_interval=0.1, backoff=Backoff(initial=0.25, jitter=0), lock_retry=1.0)
SID, OTHER = "11111111-aaaa", "22222222-bbbb"
KEY = "/v1/kv/svc/leader"
ACQUIRE = f"{KEY}?flags={LOCK_FLAG}&acquire={SID}"
RELEASE = f"{KEY}?flags={LOCK_FLAG}&release={SID}"


def held(session: str | None, index: int, flags: int = LOCK_FLAG) -> object:
    return reply(body=[entry("svc/leader", b"v", session=session, flags=flags)], index=index)


def opened(**options: object) -> Lock:
    lock = Lock("svc/leader", ttl="10s", value=b"me", lock_delay=0, pacing=PACING, **options)
    script = Script(lock.open())
    script.now(50.0)
    request = script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    assert json.loads(request.body or b"") == {
        "Name": "Consul API Lock",
        "TTL": "10s",
        "LockDelay": "0s",
    }
    script.returns()
    assert (lock.session, lock.created, lock.ttl) == (SID, True, 10.0)
    return lock


def test_acquire_a_free_key() -> None:
    lock = opened()
    script = Script(lock.acquire())
    script.call("GET", KEY, reply(404, b"", index=3))
    request = script.call("PUT", ACQUIRE, reply(body=True))
    assert request.body == b"me"
    script.returns()


def test_contention_blocks_on_the_key_until_it_is_free() -> None:
    script = Script(opened().acquire())
    script.call("GET", KEY, held(OTHER, 5))
    script.call("GET", f"{KEY}?index=5&wait=15s", held(OTHER, 5))  # the wait ran out
    script.call("GET", f"{KEY}?index=5&wait=15s", held(None, 8))  # released
    script.call("PUT", ACQUIRE, reply(body=True))
    script.returns()


def test_losing_the_race_goes_back_to_waiting() -> None:
    script = Script(opened().acquire())
    script.call("GET", KEY, held(None, 5))
    script.call("PUT", ACQUIRE, reply(body=False))
    script.call("GET", KEY, held(OTHER, 6))  # someone else won: block on it
    script.call("GET", f"{KEY}?index=6&wait=15s", held(None, 9))
    script.call("PUT", ACQUIRE, reply(body=True))
    script.returns()


def test_lock_delay_waits_and_retries() -> None:
    script = Script(opened().acquire())
    script.call("GET", KEY, held(None, 5))
    script.call("PUT", ACQUIRE, reply(body=False))
    script.call("GET", KEY, held(None, 5))  # still free: a lock-delay refuses us
    script.sleep(1.0)
    script.call("PUT", ACQUIRE, reply(body=False))
    script.call("GET", KEY, held(None, 5))
    script.sleep(1.0)
    script.call("PUT", ACQUIRE, reply(body=True))
    script.returns()


def test_a_key_we_already_hold_is_acquired() -> None:
    script = Script(opened().acquire())
    script.call("GET", KEY, held(SID, 5))
    script.returns()


def test_a_key_with_other_flags_is_refused_like_gos_err_lock_conflict() -> None:
    script = Script(opened().acquire())
    script.call("GET", KEY, held(None, 5, flags=0))
    error = script.raises(LockConflict)
    assert isinstance(error, UsageError)


def test_acquire_rides_out_errors_with_backoff() -> None:
    script = Script(opened().acquire())
    script.call("GET", KEY, held(OTHER, 5))
    script.call("GET", f"{KEY}?index=5&wait=15s", ConnectError("refused"))
    script.sleep(0.25)
    script.call("GET", KEY, reply(500, b"No cluster leader"))
    script.sleep(0.5)
    script.call("GET", KEY, held(None, 9))
    script.call("PUT", ACQUIRE, ConnectError("refused"))
    script.sleep(0.25)
    script.call("GET", KEY, held(SID, 10))  # the acquire went through before the error
    script.returns()


def test_monitor_reports_the_key_taken() -> None:
    script = Script(opened().monitor(300))
    script.call("GET", f"{KEY}?consistent", held(SID, 5))
    script.now(0.0)
    script.call("GET", f"{KEY}?consistent&index=5&wait=300s", held(OTHER, 7))
    assert script.returns() == "its key was released or taken by another session"


def test_monitor_reports_the_key_deleted() -> None:
    script = Script(opened().monitor(300))
    script.call("GET", f"{KEY}?consistent", reply(404, b"", index=4))
    assert script.returns() == "its key was deleted"


def test_monitor_rides_out_errors() -> None:
    script = Script(opened().monitor(60))
    script.call("GET", f"{KEY}?consistent", held(SID, 5))
    script.now(0.0)
    script.call("GET", f"{KEY}?consistent&index=5&wait=60s", ConnectError("refused"))
    script.sleep(0.25)
    script.call("GET", f"{KEY}?consistent", held(SID, 5))
    script.now(1.0)
    script.call("GET", f"{KEY}?consistent&index=5&wait=60s", held(None, 6))
    assert script.returns() == "its key was released or taken by another session"


def test_release_then_destroy_the_session() -> None:
    script = Script(opened().close())
    request = script.call("PUT", RELEASE, reply(body=True))
    assert request.body == b"me"
    script.call("PUT", f"/v1/session/destroy/{SID}", reply(body=True))
    script.returns()


def test_cleanup_goes_on_after_a_failed_step() -> None:
    script = Script(opened().close())
    script.call("PUT", RELEASE, ConnectError("refused"))
    script.call("PUT", f"/v1/session/destroy/{SID}", reply(500, b"oops"))
    script.returns()


def test_loss_is_recorded_once_and_described() -> None:
    lock = opened()
    assert lock.mark_lost("its key was deleted")
    assert not lock.mark_lost("the session was invalidated")
    error = lock.lost_error()
    assert isinstance(error, LockLost)
    assert str(error) == "the lock on 'svc/leader' was lost: its key was deleted"


@pytest.mark.parametrize(
    "options",
    [
        {"key": "/abs"},
        {"key": ""},
        {"ttl": "5s"},
        {"ttl": "2d"},
        {"value": 3},
        {"lock_delay": "soon"},
    ],
)
def test_invalid_arguments_are_usage_errors(options: dict[str, object]) -> None:
    arguments: dict[str, object] = {"key": "k", "pacing": PACING, **options}
    with pytest.raises(UsageError):
        Lock(**arguments)  # type: ignore[arg-type]


def test_the_session_is_unknown_before_open() -> None:
    with pytest.raises(UsageError):
        _ = Lock("k", pacing=PACING).session
