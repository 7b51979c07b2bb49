"""The lock flows, scripted effect by effect: acquire, contention, lock-delay, loss, release."""

from __future__ import annotations

import json
import sys

import pytest

from consul_core import (
    ConnectError,
    LockInUse,
    LockLost,
    PermissionDenied,
    ReleaseFailed,
    ServerError,
    Timeout,
    UsageError,
)
from consul_core.backoff import Backoff
from consul_core.flows import LOCK_FLAG, Lock, LockConflict, NoticeKind, Pacing, destroy_lock
from consul_core.flows.budget import MIN_CALL_TIMEOUT
from consul_core.flows.held import CLEANUP_TIMEOUT
from tests.core.flowscript import Script, entry, reply

PACING = Pacing(min_interval=0.1, backoff=Backoff(initial=0.25, jitter=0), lock_retry=1.0)
SID, OTHER = "11111111-aaaa", "22222222-bbbb"
KEY = "/v1/kv/svc/leader"
ACQUIRE = f"{KEY}?flags={LOCK_FLAG}&acquire={SID}"
RELEASE = f"{KEY}?flags={LOCK_FLAG}&release={SID}"


def held(session: str | None, index: int, flags: int = LOCK_FLAG, modify_index: int = 1) -> object:
    body = [entry("svc/leader", b"v", session=session, flags=flags, modify_index=modify_index)]
    return reply(body=body, index=index)


def opened(lock_delay: str = "0s", **options: object) -> Lock:
    lock = Lock(
        "svc/leader", ttl="10s", value=b"me", lock_delay=lock_delay, pacing=PACING, **options
    )
    script = Script(lock.open())
    script.now(50.0)
    request = script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    assert json.loads(request.body or b"") == {
        "Name": "Consul API Lock",
        "Checks": [],  # only the TTL ends it: no node check can before the holder knows
        "TTL": "10s",
        "LockDelay": lock_delay,
    }
    script.returns()
    assert (lock.session, lock.created, lock.ttl) == (SID, True, 10.0)
    return lock


def test_entering_during_an_election_waits_it_out() -> None:
    script = Script(Lock("svc/leader", ttl="10s", pacing=PACING).open())
    script.now(50.0)
    script.call("PUT", "/v1/session/create", reply(500, b"rpc error making call: stream closed"))
    script.sleep(0.25)
    script.call("PUT", "/v1/session/create", ConnectError("refused"))
    script.sleep(0.5)
    script.call("PUT", "/v1/session/create", reply(500, b"No cluster leader"))
    script.sleep(1.0)
    script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    script.returns()
    # Each retry is told, naming what is entered, the error and the pause.
    assert [notice.kind for notice in script.notices] == [NoticeKind.RETRY] * 3
    assert script.notices[1].message == (
        "could not take the lock on 'svc/leader' yet (ConnectError: refused); trying again in 0.50s"
    )
    assert script.notices[2].message.startswith(
        "could not take the lock on 'svc/leader' yet (ServerError: 500 PUT /v1/session/create"
    )


def test_entering_waits_as_long_as_a_rate_limit_asks() -> None:
    script = Script(Lock("svc/leader", ttl="10s", pacing=PACING).open())
    script.now(50.0)
    limited = reply(429, b"rate limit exceeded", headers={"Retry-After": "3"})
    script.call("PUT", "/v1/session/create", limited)
    script.sleep(3.0)  # not the backoff's 0.25
    script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    script.returns()
    assert script.notices[0].message.endswith("trying again in 3.00s")


def test_entering_fails_at_once_on_an_error_not_worth_retrying() -> None:
    script = Script(Lock("svc/leader", pacing=PACING).open())
    script.now(50.0)
    script.call("PUT", "/v1/session/create", reply(403, b"Permission denied"))
    script.raises(PermissionDenied)


def test_entering_gives_up_when_its_timeout_runs_out() -> None:
    script = Script(Lock("svc/leader", pacing=PACING, timeout="2s").open())
    script.now(50.0)
    script.now(50.0)
    request = script.call("PUT", "/v1/session/create", reply(500, b"No cluster leader"))
    assert request.timeout == 2.0  # no call outlasts the timeout
    script.now(51.8)
    script.sleep(0.2)  # never past the timeout
    script.now(52.0)
    request = script.call("PUT", "/v1/session/create", reply(500, b"No cluster leader"))
    assert request.timeout == MIN_CALL_TIMEOUT
    script.now(52.1)
    error = script.raises(Timeout)
    assert str(error).startswith(
        "could not take the lock on 'svc/leader' within 2s (ServerError: 500 PUT"
    )
    assert isinstance(error.__cause__, ServerError)


def test_the_timeout_shortens_the_wait_for_a_held_key_then_gives_up() -> None:
    lock = Lock("svc/leader", value=b"me", pacing=PACING, timeout=10)
    script = Script(lock.open())
    script.now(50.0)
    script.now(50.0)
    script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    script.returns()
    script = Script(lock.acquire())
    script.now(51.0)
    script.call("GET", KEY, held(OTHER, 5))
    script.now(51.5)
    # Four fifths of what is left: the agent answers (wait and jitter) before the read's timeout,
    # the time left, and a key still held ends entering with the budget's Timeout, no agent's.
    read = script.call("GET", f"{KEY}?index=5&wait=6800ms", held(OTHER, 5))
    assert read.timeout == 8.5  # not the wait's own (wait, wait/16, 5 s): the timeout holds
    script.now(60.1)
    error = script.raises(Timeout)
    assert str(error) == "could not take the lock on 'svc/leader' within 10s"


def test_the_timeout_bounds_the_lock_delay_retry_and_the_acquire_call() -> None:
    lock = Lock("svc/leader", value=b"me", pacing=PACING, timeout=10)
    script = Script(lock.open())
    script.now(50.0)
    script.now(50.0)
    script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    script.returns()
    script = Script(lock.acquire())
    script.now(51.0)
    script.call("GET", KEY, held(None, 5))
    request = script.call("PUT", ACQUIRE, reply(body=False))  # a lock-delay
    assert request.timeout == 9.0
    script.now(59.5)
    script.call("GET", KEY, held(None, 5))
    script.sleep(0.5)  # not the whole lock_retry
    script.call("PUT", ACQUIRE, reply(body=True))
    script.returns()


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


def test_losing_a_race_to_a_holder_already_gone_tries_again_at_once() -> None:
    # Another session took the key and let it go between our refused try and the next read:
    # the key is free again, but changed since, so no lock-delay holds it (this waited 1 s).
    script = Script(opened().acquire())
    script.call("GET", KEY, held(None, 5, modify_index=5))
    script.call("PUT", ACQUIRE, reply(body=False))
    script.call("GET", KEY, held(None, 9, modify_index=9))  # taken and released meanwhile
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
    # At most ACQUIRE_WAIT: a read on a connection that died without a word ends, and is
    # made again, within about 20 s, not after the 5 minutes asked.
    script.call("GET", f"{KEY}?consistent&index=5&wait=15s", held(OTHER, 7))
    assert script.returns() == "its key was released or taken by another session"


def test_a_short_lock_delay_does_not_make_the_monitor_poll() -> None:
    script = Script(opened("100ms").monitor(300))
    script.call("GET", f"{KEY}?consistent", held(SID, 5))
    script.now(0.0)
    script.call("GET", f"{KEY}?consistent&index=5&wait=1s", held(None, 7))  # a second at least
    assert script.returns() == "its key was released or taken by another session"


def test_the_monitor_s_reads_wait_at_most_half_the_lock_delay() -> None:
    # Its read's timeout (wait, wait/16, 5 s) ends before the lock-delay lets another take the
    # key: a holder whose read went out on a dead connection learns of its session's end first.
    script = Script(opened("15s").monitor(300))
    script.call("GET", f"{KEY}?consistent", held(SID, 5))
    script.now(0.0)
    request = script.call("GET", f"{KEY}?consistent&index=5&wait=7500ms", held(None, 7))
    assert request.timeout is not None and request.timeout < 15
    assert script.returns() == "its key was released or taken by another session"


def test_monitor_reports_the_key_deleted() -> None:
    script = Script(opened().monitor(300))
    script.call("GET", f"{KEY}?consistent", reply(404, b"", index=4))
    assert script.returns() == "its key was deleted"


def test_monitor_rides_out_errors() -> None:
    script = Script(opened().monitor(60))
    script.call("GET", f"{KEY}?consistent", held(SID, 5))
    script.now(0.0)
    script.call("GET", f"{KEY}?consistent&index=5&wait=15s", ConnectError("refused"))
    script.sleep(0.25)
    script.call("GET", f"{KEY}?consistent", held(SID, 5))
    script.now(1.0)
    script.call("GET", f"{KEY}?consistent&index=5&wait=15s", held(None, 6))
    assert script.returns() == "its key was released or taken by another session"


@pytest.mark.parametrize(
    ("lock_delay", "delays"), [("1s", (0.25, 0.5, 0.5)), ("0s", (0.25, 0.5, 1))]
)
def test_after_errors_the_monitor_reads_again_within_half_the_lock_delay(
    lock_delay: str, delays: tuple[float, ...]
) -> None:
    # An outage: the holder must see its session ended meanwhile before the lock-delay lets
    # another take the key (none can be promised without a lock-delay).
    script = Script(opened(lock_delay).monitor(60))
    for delay in delays:
        script.call("GET", f"{KEY}?consistent", ConnectError("refused"))
        script.sleep(delay)
    script.call("GET", f"{KEY}?consistent", held(None, 6))
    assert script.returns() == "its key was released or taken by another session"


DESTROY = f"/v1/session/destroy/{SID}"


def test_release_then_destroy_the_session() -> None:
    script = Script(opened().close())
    script.now(0.0)  # the cleanup's clock starts
    script.now(0.0)
    request = script.call("PUT", RELEASE, reply(body=True))
    assert request.body == b"me"
    assert request.timeout == CLEANUP_TIMEOUT / 3  # each try within a third of the cleanup time
    script.now(11.0)
    request = script.call("PUT", DESTROY, reply(body=True))
    assert request.timeout == pytest.approx(CLEANUP_TIMEOUT - 11.0)  # what is left of it
    script.returns()


def test_leaving_during_an_election_retries_the_release_and_the_destroy() -> None:
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", RELEASE, reply(500, b"No cluster leader"))
    script.now(0.1)
    script.sleep(0.25)
    script.now(0.4)
    script.call("PUT", RELEASE, ConnectError("refused"))
    script.now(0.5)
    script.sleep(0.5)
    script.now(1.0)
    script.call("PUT", RELEASE, reply(body=True))
    script.now(1.1)
    script.call("PUT", DESTROY, reply(500, b"rpc error making call: stream closed"))
    script.now(1.2)
    script.sleep(0.25)  # the success of the release started the backoff again
    script.now(1.5)
    script.call("PUT", DESTROY, reply(body=True))
    script.returns()


def test_a_release_repeated_after_the_key_changed_hands_is_refused_and_that_is_fine() -> None:
    # Consul releases the key only for the session that holds it: False, nothing released.
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", RELEASE, reply(body=False))
    script.now(0.1)
    script.call("PUT", DESTROY, reply(body=True))
    script.returns()


def test_a_cleanup_that_runs_out_of_time_still_destroys_then_says_it_could_not_release() -> None:
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", RELEASE, ConnectError("refused"))
    script.now(14.9)
    script.sleep(0.1)  # never past the cleanup's time
    script.now(15.0)
    request = script.call("PUT", RELEASE, reply(500, b"No cluster leader"))
    assert request.timeout == MIN_CALL_TIMEOUT
    script.now(15.1)  # the time is up: the release gives up, the destroy is still tried
    script.now(15.2)
    script.call("PUT", DESTROY, reply(body=True))
    error = script.raises(ReleaseFailed)
    assert str(error).startswith(
        "leaving the lock on 'svc/leader' could not release the key 'svc/leader' (Timeout: "
        "could not clean up the lock on 'svc/leader' within 15s (ServerError: 500 PUT"
    )
    assert isinstance(error.__cause__, Timeout)
    assert isinstance(error.__cause__.__cause__, ServerError)


def test_a_step_that_fails_for_good_is_reported_and_the_next_still_runs() -> None:
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", RELEASE, reply(403, b"Permission denied"))  # not retried
    script.now(0.1)
    script.call("PUT", DESTROY, reply(body=True))
    error = script.raises(ReleaseFailed)
    assert "release the key 'svc/leader' (PermissionDenied: 403" in str(error)
    assert isinstance(error.__cause__, PermissionDenied)


def test_leaving_raises_the_bodys_error_first_then_the_loss_then_the_cleanups() -> None:
    unreleased = ReleaseFailed("leaving the lock could not release the key")
    body = RuntimeError("the body failed")
    assert opened().leaving(None, None) == (None, None)
    assert opened().leaving(None, unreleased) == (unreleased, None)
    assert opened().leaving(body, None) == (body, None)
    assert opened().leaving(body, unreleased) == (body, unreleased)  # for the driver to log
    lock = opened()
    lock.mark_lost("its key was deleted")
    raised, unreported = lock.leaving(None, unreleased)
    assert isinstance(raised, LockLost)
    assert unreported is unreleased


def test_a_cleanup_failure_not_raised_is_noted_on_the_error_raised() -> None:
    body = RuntimeError("the body failed")
    unreleased = ReleaseFailed("could not release the key")
    assert opened().leaving(body, unreleased) == (body, unreleased)  # logged by the driver
    # Exception notes are new in Python 3.11: before, the log line is all there is.
    noted = ["and then: ReleaseFailed: could not release the key"]
    assert getattr(body, "__notes__", None) == (noted if sys.version_info >= (3, 11) else None)


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


def test_destroying_deletes_a_free_lock_with_check_and_set() -> None:
    script = Script(destroy_lock("svc/leader"))
    script.call("GET", KEY, held(None, 7, modify_index=6))
    script.call("DELETE", f"{KEY}?cas=6", reply(body=True))
    assert script.returns() is None


def test_destroying_a_lock_taken_between_the_read_and_the_delete_deletes_nothing() -> None:
    script = Script(destroy_lock("svc/leader"))
    script.call("GET", KEY, held(None, 7, modify_index=6))
    script.call("DELETE", f"{KEY}?cas=6", reply(body=False))  # taken meanwhile: cas failed
    error = script.raises(LockInUse)
    assert str(error) == "the lock on 'svc/leader' changed while it was being destroyed"
