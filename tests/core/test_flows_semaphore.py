"""The semaphore flows, scripted effect by effect, on the Go client's key layout."""

from __future__ import annotations

import json

import pytest

from consul_core import ConnectError, LockInUse, ReleaseFailed, Timeout, UsageError
from consul_core.backoff import Backoff
from consul_core.flows import SEMAPHORE_FLAG, LockConflict, Pacing, Semaphore, destroy_semaphore
from tests.core.flowscript import Script, entry, reply

PACING = Pacing(backoff=Backoff(initial=0.5, jitter=0))
SID, A, B = "me-1", "a-2", "b-3"
TREE = "/v1/kv/sem/x/?recurse"
BLOCKING = "/v1/kv/sem/x/?index={}&wait=15s&recurse"
MONITOR = "/v1/kv/sem/x/?consistent{}&recurse"
LOCK = "/v1/kv/sem/x/.lock"
CONTENDER = f"/v1/kv/sem/x/{SID}?flags={SEMAPHORE_FLAG}&acquire={SID}"


def cas(index: int) -> str:
    return f"{LOCK}?flags={SEMAPHORE_FLAG}&cas={index}"


def lock_entry(holders: object, *, limit: int = 2, modify_index: int = 10) -> dict[str, object]:
    value = json.dumps({"Limit": limit, "Holders": holders}).encode()
    return entry("sem/x/.lock", value, flags=SEMAPHORE_FLAG, modify_index=modify_index)


def contender(sid: str) -> dict[str, object]:
    return entry(f"sem/x/{sid}", b"", session=sid, flags=SEMAPHORE_FLAG)


def tree(*entries: object, index: int) -> object:
    return reply(body=list(entries), index=index)


def opened(limit: int = 2) -> Semaphore:
    semaphore = Semaphore("sem/x/", limit, ttl="10s", value=b"me", pacing=PACING)
    script = Script(semaphore.open())
    script.now(0.0)
    request = script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    assert json.loads(request.body or b"") == {
        "Name": "Consul API Semaphore",
        "Checks": [],  # only the TTL ends it: no node check can before a holder knows
        "Behavior": "delete",
        "TTL": "10s",
    }
    script.returns()
    return semaphore


def holders_of(body: bytes | None) -> dict[str, object]:
    data = json.loads(body or b"")
    assert data["Limit"] == 2
    holders: dict[str, object] = data["Holders"]
    return holders


def test_the_first_contender_creates_the_lock_key() -> None:
    script = Script(opened().acquire())
    request = script.call("PUT", CONTENDER, reply(body=True))
    assert request.body == b"me"
    script.call("GET", TREE, tree(contender(SID), index=4))
    request = script.call("PUT", cas(0), reply(body=True))
    assert request.body == b'{"Limit":2,"Holders":{"me-1":true}}'  # Go's encoding
    script.returns()


def test_a_full_semaphore_blocks_until_a_holder_dies_and_is_pruned() -> None:
    script = Script(opened().acquire())
    script.call("PUT", CONTENDER, reply(body=True))
    full = lock_entry({A: True, B: True})
    script.call("GET", TREE, tree(full, contender(A), contender(B), contender(SID), index=11))
    script.call("GET", BLOCKING.format(11), tree(full, contender(A), index=14))
    # B's session is gone (its contender key with it): B is pruned, we take its slot.
    request = script.call("PUT", cas(10), reply(body=True))
    assert holders_of(request.body) == {A: True, SID: True}
    script.returns()


def test_a_lost_check_and_set_reads_again() -> None:
    script = Script(opened().acquire())
    script.call("PUT", CONTENDER, reply(body=True))
    script.call("GET", TREE, tree(lock_entry({A: True}), contender(A), index=11))
    script.call("PUT", cas(10), reply(body=False))
    taken = lock_entry({A: True, B: True}, modify_index=12)
    script.call("GET", TREE, tree(taken, contender(A), contender(B), index=12))
    script.call("GET", BLOCKING.format(12), tree(taken, contender(A), index=13))
    script.call("PUT", cas(12), reply(body=True))
    script.returns()


def test_holders_written_as_a_list_are_read_too() -> None:
    script = Script(opened().acquire())
    script.call("PUT", CONTENDER, reply(body=True))
    script.call("GET", TREE, tree(lock_entry([SID]), contender(SID), index=5))
    script.returns()


def test_acquire_rides_out_errors() -> None:
    script = Script(opened().acquire())
    script.call("PUT", CONTENDER, ConnectError("refused"))
    script.sleep(0.5)
    script.call("PUT", CONTENDER, reply(body=True))
    script.call("GET", TREE, reply(502, b"bad gateway"))
    script.sleep(0.5)  # the contender key's success started the backoff again
    script.call("GET", TREE, tree(contender(SID), index=4))
    script.call("PUT", cas(0), reply(body=True))
    script.returns()


@pytest.mark.parametrize(
    "lock",
    [
        lock_entry({A: True}, limit=3),
        entry("sem/x/.lock", b'{"Limit":2}', flags=0),
        entry("sem/x/.lock", b"not json", flags=SEMAPHORE_FLAG),
    ],
)
def test_a_prefix_used_otherwise_is_refused(lock: dict[str, object]) -> None:
    script = Script(opened().acquire())
    script.call("PUT", CONTENDER, reply(body=True))
    script.call("GET", TREE, tree(lock, contender(SID), index=4))
    script.raises(LockConflict)


def test_a_refused_contender_key_is_a_conflict() -> None:
    script = Script(opened().acquire())
    script.call("PUT", CONTENDER, reply(body=False))
    script.raises(LockConflict)


def test_monitor_reports_the_slot_lost() -> None:
    script = Script(opened().monitor(300))
    held = lock_entry({SID: True})
    script.call("GET", MONITOR.format(""), tree(held, contender(SID), index=5))
    script.now(0.0)
    # Our contender key is gone (the session was invalidated): we are a dead holder.
    script.call("GET", MONITOR.format("&index=5&wait=15s"), tree(held, index=6))  # at most 15s
    assert script.returns() == "it is no longer among the holders"


DELETE = f"/v1/kv/sem/x/{SID}"
DESTROY = f"/v1/session/destroy/{SID}"


def test_the_timeout_bounds_the_wait_for_a_slot() -> None:
    semaphore = Semaphore("sem/x", 2, ttl="10s", pacing=PACING, timeout=20)
    script = Script(semaphore.open())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    script.returns()
    script = Script(semaphore.acquire())
    script.now(0.1)
    request = script.call("PUT", CONTENDER, reply(body=True))
    assert request.timeout == pytest.approx(19.9)
    full = lock_entry({A: True, B: True})
    everyone = (full, contender(A), contender(B), contender(SID))
    script.now(0.2)
    script.call("GET", TREE, tree(*everyone, index=11))
    script.now(10.0)
    # Four fifths of what is left: the agent answers (wait and jitter) before the read's timeout.
    script.call("GET", "/v1/kv/sem/x/?index=11&wait=8s&recurse", tree(*everyone, index=11))
    script.now(20.0)
    error = script.raises(Timeout)
    assert str(error) == "could not take the slot of the semaphore 'sem/x' within 20s"


def test_release_leaves_the_holders_then_deletes_the_contender_and_the_session() -> None:
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("GET", LOCK, reply(body=[lock_entry({A: True, SID: True})], index=10))
    script.now(0.0)
    script.call("PUT", cas(10), reply(body=False))  # someone else changed it meanwhile
    script.now(0.1)  # time is left: read again
    changed = lock_entry({A: True, B: True, SID: True}, modify_index=11)
    script.now(0.1)
    script.call("GET", LOCK, reply(body=[changed], index=11))
    script.now(0.1)
    request = script.call("PUT", cas(11), reply(body=True))
    assert holders_of(request.body) == {A: True, B: True}
    script.now(0.2)
    script.call("DELETE", DELETE, reply(body=True))
    script.now(0.2)
    script.call("PUT", DESTROY, reply(body=True))
    script.returns()


def test_leaving_during_an_election_retries_each_step() -> None:
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("GET", LOCK, reply(500, b"No cluster leader"))
    script.now(0.0)
    script.sleep(0.5)
    script.now(0.5)
    script.call("GET", LOCK, reply(body=[lock_entry({A: True, SID: True})], index=10))
    script.now(0.5)
    script.call("PUT", cas(10), ConnectError("refused"))  # it may have gone through
    script.now(0.5)
    script.sleep(0.5)
    script.now(1.0)
    script.call("PUT", cas(10), reply(body=False))  # it had: the index moved on
    script.now(1.0)
    script.now(1.0)
    script.call("GET", LOCK, reply(body=[lock_entry({A: True}, modify_index=11)], index=11))
    script.now(1.1)
    script.call("DELETE", DELETE, reply(500, b"rpc error"))
    script.now(1.1)
    script.sleep(0.5)
    script.now(1.6)
    script.call("DELETE", DELETE, reply(body=True))
    script.now(1.7)
    script.call("PUT", DESTROY, reply(body=True))
    script.returns()


def test_release_when_not_a_holder_or_unreachable_still_cleans_up_and_says_so() -> None:
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("GET", LOCK, ConnectError("refused"))
    script.now(15.0)  # the cleanup's time is up: give up the step, go on with the next
    script.now(15.0)
    script.call("DELETE", DELETE, ConnectError("refused"))
    script.now(15.0)
    script.now(15.0)
    script.call("PUT", DESTROY, reply(body=True))
    error = script.raises(ReleaseFailed)
    assert str(error).startswith(
        "leaving the slot of the semaphore 'sem/x' could not leave the holders (Timeout: "
    )
    assert f"; delete the contender key 'sem/x/{SID}' (Timeout: " in str(error)
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("GET", LOCK, reply(404, b"", index=3))
    script.now(0.0)
    script.call("DELETE", DELETE, reply(body=True))
    script.now(0.0)
    script.call("PUT", DESTROY, reply(body=True))
    script.returns()


def test_a_holders_key_that_is_not_a_semaphore_fails_the_step_at_once() -> None:
    script = Script(opened().close())
    script.now(0.0)
    script.now(0.0)
    script.call("GET", LOCK, reply(body=[entry("sem/x/.lock", b"x", flags=0)], index=4))
    script.now(0.0)
    script.call("DELETE", DELETE, reply(body=True))
    script.now(0.0)
    script.call("PUT", DESTROY, reply(body=True))
    error = script.raises(ReleaseFailed)
    assert "could not leave the holders (LockConflict: " in str(error)


@pytest.mark.parametrize(
    ("prefix", "limit"), [("", 1), ("/", 1), ("/abs", 1), ("p", 0), ("p", True), ("p", "2")]
)
def test_invalid_arguments_are_usage_errors(prefix: str, limit: object) -> None:
    with pytest.raises(UsageError):
        Semaphore(prefix, limit, pacing=PACING)  # type: ignore[arg-type]


def test_destroying_counts_only_live_holders_whatever_the_limit() -> None:
    script = Script(destroy_semaphore("sem/x"))
    # A holder whose session is gone (no contender key) does not count; the limit is not ours.
    script.call("GET", TREE, tree(lock_entry([A], limit=5, modify_index=12), index=12))
    script.call("DELETE", f"{LOCK}?cas=12", reply(body=True))
    assert script.returns() is None


def test_destroying_a_held_or_changed_semaphore_deletes_nothing() -> None:
    script = Script(destroy_semaphore("sem/x/"))
    script.call("GET", TREE, tree(lock_entry([A, B]), contender(A), contender(B), index=9))
    assert str(script.raises(LockInUse)) == "the semaphore 'sem/x' has 2 holder(s)"
    script = Script(destroy_semaphore("sem/x/"))
    script.call("GET", TREE, tree(lock_entry([]), contender(A), index=9))  # a waiter, no holder
    script.call("DELETE", f"{LOCK}?cas=10", reply(body=False))  # a slot taken meanwhile
    error = script.raises(LockInUse)
    assert str(error) == "the semaphore 'sem/x' changed while it was being destroyed"
