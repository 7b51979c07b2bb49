"""Locks and semaphores given the caller's session (Go's ``LockOptions.Session`` and
``SemaphoreOptions.Session``), scripted effect by effect: the session is checked, never renewed
nor destroyed, and its invalidation is a loss.
"""

from __future__ import annotations

import pytest

from consul_core import LockLost, NotFound, Session, Sleep, UsageError
from consul_core.backoff import Backoff
from consul_core.blocking import DEFAULT_WAIT
from consul_core.flows import LOCK_FLAG, SEMAPHORE_FLAG, Lock, Pacing, Semaphore
from consul_core.flows.effects import Cursor
from tests.core.flowscript import Script, entry, reply, session_entry

PACING = Pacing(min_interval=0, backoff=Backoff(initial=0.25, jitter=0), lock_retry=1.0)
SID = "11111111-aaaa"
KEY = "/v1/kv/svc/leader"
INFO = f"/v1/session/info/{SID}?consistent"
ACQUIRE = f"{KEY}?flags={LOCK_FLAG}&acquire={SID}"
RELEASE = f"{KEY}?flags={LOCK_FLAG}&release={SID}"
INVALID = reply(500, f'invalid session "{SID}"'.encode())


def opened_lock(**options: object) -> Lock:
    lock = Lock("svc/leader", session=SID, value=b"me", pacing=PACING, **options)
    script = Script(lock.open())
    script.now(10.0)
    script.call("GET", INFO, reply(body=session_entry(SID), index=3))  # checked, not renewed
    script.returns()
    assert (lock.session, lock.created, lock.borrowed) == (SID, False, True)
    return lock


def test_a_lock_takes_the_key_with_the_callers_session() -> None:
    lock = opened_lock()
    script = Script(lock.acquire())
    script.call("GET", KEY, reply(404, b"", index=4))
    request = script.call("PUT", ACQUIRE, reply(body=True))
    assert request.body == b"me"
    script.returns()


def test_the_callers_session_is_never_renewed() -> None:
    cursor = Cursor(opened_lock().renew())
    for _ in range(3):
        step = cursor.next_step()
        assert step == Sleep(DEFAULT_WAIT)
        cursor.answer(None)


def test_leaving_releases_the_key_and_leaves_the_session_alone() -> None:
    script = Script(opened_lock().close())
    script.now(20.0)
    script.now(20.0)
    script.call("PUT", RELEASE, reply(body=True))
    script.returns()  # no destroy


def test_a_session_that_does_not_exist_fails_entering() -> None:
    lock = Lock("svc/leader", session={"ID": SID}, pacing=PACING)
    script = Script(lock.open())
    script.now(10.0)
    script.call("GET", INFO, reply(body=[], index=3))
    script.raises(NotFound)


def test_an_invalidated_session_is_a_loss_on_entering() -> None:
    lock = opened_lock()
    script = Script(lock.acquire())
    script.call("GET", KEY, reply(404, b"", index=4))
    script.call("PUT", ACQUIRE, INVALID)  # not retried as a server error
    error = script.raises(LockLost)
    assert lock.lost and lock.loss == "the session was invalidated"
    assert str(error) == "the lock on 'svc/leader' was lost: the session was invalidated"


def test_a_lock_of_its_own_session_too_sees_it_invalidated() -> None:
    lock = Lock("svc/leader", ttl="10s", pacing=PACING)
    script = Script(lock.open())
    script.now(10.0)
    script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    script.returns()
    script = Script(lock.acquire())
    script.call("GET", KEY, reply(404, b"", index=4))
    script.call("PUT", ACQUIRE, INVALID)
    script.raises(LockLost)


def test_the_monitor_sees_the_key_released_by_the_invalidation() -> None:
    lock = opened_lock()
    assert lock.monitor_ends_on_close  # our own release wakes its read
    script = Script(lock.monitor(15.0))
    script.call("GET", f"{KEY}?consistent", reply(body=[entry("svc/leader", session=SID)], index=5))
    script.call(
        "GET", f"{KEY}?consistent&index=5&wait=15s", reply(body=[entry("svc/leader")], index=6)
    )
    assert script.returns() == "its key was released or taken by another session"


def test_a_semaphore_holds_a_slot_with_the_callers_session_and_leaves_it_alone() -> None:
    semaphore = Semaphore("sem/x", 2, session=Session(id=SID), pacing=PACING)
    script = Script(semaphore.open())
    script.now(0.0)
    script.call("GET", INFO, reply(body=session_entry(SID), index=3))
    script.returns()
    contender = f"/v1/kv/sem/x/{SID}?flags={SEMAPHORE_FLAG}&acquire={SID}"
    script = Script(semaphore.acquire())
    script.call("PUT", contender, INVALID)
    script.raises(LockLost)
    assert semaphore.loss == "the session was invalidated"
    script = Script(semaphore.close())
    script.now(5.0)
    script.now(5.0)
    script.call("GET", "/v1/kv/sem/x/.lock", reply(404, b"", index=7))
    script.now(5.0)
    script.call("DELETE", f"/v1/kv/sem/x/{SID}", reply(body=True))
    script.returns()  # no destroy


@pytest.mark.parametrize(
    "options",
    [
        {"session": SID, "ttl": "20s"},
        {"session": SID, "lock_delay": 0},
        {"session": SID, "name": "mine"},
        {"session": ""},
        {"session": {"Name": "no id"}},
    ],
)
def test_options_of_a_session_to_create_are_refused_with_the_callers(
    options: dict[str, object],
) -> None:
    with pytest.raises(UsageError):
        Lock("svc/leader", **options)  # type: ignore[arg-type]
    semaphore_options = {k: v for k, v in options.items() if k != "lock_delay"}
    if semaphore_options != options:
        return
    with pytest.raises(UsageError):
        Semaphore("sem/x", 2, **semaphore_options)  # type: ignore[arg-type]
