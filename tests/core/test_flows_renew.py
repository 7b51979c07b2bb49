"""Session renewal and keepalive, scripted effect by effect: the schedule, retries, loss."""

from __future__ import annotations

import json

import pytest

from consul_core import ConnectError, NotFound, ReleaseFailed, Session, Timeout, UsageError
from consul_core.backoff import Backoff
from consul_core.flows import Keepalive, NoticeKind, Pacing
from tests.core.flowscript import Script, reply, session_entry

PACING = Pacing(backoff=Backoff(initial=1, maximum=2, jitter=0))
SID = "5e55-10n"
RENEW = f"/v1/session/renew/{SID}"


def opened(keepalive: Keepalive, at: float = 100.0) -> Keepalive:
    script = Script(keepalive.open())
    script.now(at)
    if keepalive.created or keepalive._create is not None:
        script.call("PUT", "/v1/session/create", reply(body={"ID": SID}))
    else:
        script.call("PUT", RENEW, reply(body=session_entry(SID, "20s")))
    script.returns()
    return keepalive


def test_a_spec_creates_the_session_with_its_ttl() -> None:
    keepalive = Keepalive({"Name": "worker", "TTL": "30s"}, ttl="15s", pacing=PACING)
    assert keepalive._create is not None
    body = json.loads(keepalive._create.request.body or b"")
    assert body == {"Name": "worker", "TTL": "15s"}
    opened(keepalive)
    assert (keepalive.session, keepalive.created, keepalive.ttl) == (SID, True, 15.0)


def test_renews_every_half_ttl_and_follows_the_servers_ttl() -> None:
    script = Script(opened(Keepalive(ttl="10s", pacing=PACING)).renew())
    script.sleep(5.0)
    script.now(105.0)
    request = script.call("PUT", RENEW, reply(body=session_entry(SID, "10s")))
    # A quarter of the TTL: one sent on a dead connection is made again before the TTL ends.
    assert request.timeout == 2.5
    script.sleep(5.0)
    script.now(110.2)
    script.call("PUT", RENEW, reply(body=session_entry(SID, "40s")))  # the server raised it
    script.sleep(20.0)
    script.now(130.3)
    script.call("PUT", RENEW, reply(body=session_entry(SID, "40s")))
    script.sleep(20.0)


def test_a_renewal_waits_as_long_as_a_rate_limit_asks_within_the_ttl() -> None:
    script = Script(opened(Keepalive(ttl="10s", pacing=PACING)).renew())
    script.sleep(5.0)
    script.now(105.0)
    script.call("PUT", RENEW, reply(429, b"slow down", headers={"Retry-After": "2"}))
    script.now(105.1)
    script.sleep(2.0)  # not the backoff's 1
    script.now(107.1)
    script.call("PUT", RENEW, reply(body=session_entry(SID, "10s")))
    script.sleep(5.0)


def test_errors_are_retried_until_a_whole_ttl_passed_then_the_session_is_lost() -> None:
    script = Script(opened(Keepalive(ttl="10s", pacing=PACING)).renew())
    script.sleep(5.0)
    script.now(105.0)
    script.call("PUT", RENEW, ConnectError("refused"))
    script.now(105.1)
    script.sleep(1.0)
    script.now(106.1)
    request = script.call("PUT", RENEW, reply(503, b"unavailable"))
    assert request.timeout == 2.5
    script.now(106.2)
    script.sleep(2.0)  # the backoff's cap
    script.now(108.2)
    request = script.call("PUT", RENEW, ConnectError("refused"))
    assert request.timeout == pytest.approx(1.8)  # never past the end of the TTL
    script.now(108.3)
    script.sleep(1.7)  # only what is left of the TTL
    script.now(110.0)
    request = script.call("PUT", RENEW, ConnectError("refused"))
    assert request.timeout == 1.0  # the least timeout
    script.now(110.1)
    reason = script.returns()
    assert reason.startswith("the session was not renewed within its TTL")


def test_a_success_restarts_the_ttl_and_the_backoff() -> None:
    script = Script(opened(Keepalive(ttl="10s", pacing=PACING)).renew())
    script.sleep(5.0)
    script.now(105.0)
    script.call("PUT", RENEW, ConnectError("refused"))
    script.now(105.0)
    script.sleep(1.0)
    script.now(106.0)
    script.call("PUT", RENEW, reply(body=session_entry(SID, "10s")))
    script.sleep(5.0)
    # The failed attempt is told (a refused one too: a token that lost its rights is retried
    # until the TTL ends), then the renewal late.
    assert [(n.kind, n.message) for n in script.notices] == [
        (
            NoticeKind.RETRY,
            f"could not renew session {SID} yet (ConnectError: refused); trying again in 1.00s",
        ),
        (
            NoticeKind.RENEWED_LATE,
            f"session {SID} renewed 6.0s after the last renewal (TTL 10s), "
            "after 1 failed attempt(s)",
        ),
    ]
    script.now(111.0)
    script.call("PUT", RENEW, reply(403, b"Permission denied"))
    script.now(111.0)
    script.sleep(1.0)
    assert [n.kind for n in script.notices[2:]] == [NoticeKind.RETRY]
    assert "(PermissionDenied: " in script.notices[2].message


def test_a_404_loses_the_session_at_once() -> None:
    script = Script(opened(Keepalive(ttl="10s", pacing=PACING)).renew())
    script.sleep(5.0)
    script.now(105.0)
    script.call("PUT", RENEW, reply(404, b"Session id 'x' not found"))
    assert script.returns() == "the session was invalidated"


def test_an_existing_session_is_renewed_at_once_and_left_alone_at_the_end() -> None:
    keepalive = opened(Keepalive({"ID": SID}, pacing=PACING))
    assert (keepalive.session, keepalive.created, keepalive.ttl) == (SID, False, 20.0)
    script = Script(keepalive.close())
    script.now(0.0)
    script.returns()


def test_the_first_renewal_of_an_existing_session_rides_out_an_election() -> None:
    keepalive = Keepalive(SID, pacing=PACING)
    script = Script(keepalive.open())
    script.now(0.0)
    script.call("PUT", RENEW, reply(500, b"No cluster leader"))
    script.sleep(1.0)
    script.call("PUT", RENEW, ConnectError("refused"))
    script.sleep(2.0)
    script.call("PUT", RENEW, reply(body=session_entry(SID, "20s")))
    script.returns()
    assert keepalive.ttl == 20.0


def test_entering_a_keepalive_gives_up_when_its_timeout_runs_out() -> None:
    script = Script(Keepalive(ttl="10s", pacing=PACING, timeout=1.5).open())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", "/v1/session/create", reply(429, b"rate limited"))
    script.now(0.1)
    script.sleep(1.0)
    script.now(1.1)
    script.call("PUT", "/v1/session/create", reply(503, b"unavailable"))
    script.now(1.2)
    script.sleep(0.3)
    script.now(1.5)
    script.call("PUT", "/v1/session/create", ConnectError("refused"))
    script.now(1.6)
    error = script.raises(Timeout)
    assert str(error) == "could not create a new session within 1.5s (ConnectError: refused)"


def test_an_existing_session_that_is_gone_fails_to_open() -> None:
    script = Script(Keepalive(SID, pacing=PACING).open())
    script.now(0.0)
    script.call("PUT", RENEW, reply(404, b"not found"))
    script.raises(NotFound)


def test_an_existing_session_without_ttl_cannot_be_kept_alive() -> None:
    script = Script(Keepalive(Session(id=SID), pacing=PACING).open())
    script.now(0.0)
    script.call("PUT", RENEW, reply(body=[{"ID": SID, "TTL": ""}]))
    script.raises(UsageError)


def test_a_created_session_is_destroyed_at_the_end() -> None:
    script = Script(opened(Keepalive(ttl=10, pacing=PACING)).close())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", f"/v1/session/destroy/{SID}", reply(body=True))
    script.returns()


def test_the_destroy_is_retried_through_an_election_or_reported() -> None:
    script = Script(opened(Keepalive(ttl=10, pacing=PACING)).close())
    script.now(0.0)
    script.now(0.0)
    # Each try may take a third of the cleanup time (a try on a dead connection is made again).
    destroy = script.call("PUT", f"/v1/session/destroy/{SID}", reply(500, b"No cluster leader"))
    assert destroy.timeout == 5.0
    script.now(0.1)
    script.sleep(1.0)
    script.now(10.5)
    destroy = script.call("PUT", f"/v1/session/destroy/{SID}", reply(body=True))
    assert destroy.timeout == 4.5  # what is left of the cleanup time
    script.returns()
    script = Script(opened(Keepalive(ttl=10, pacing=PACING)).close())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", f"/v1/session/destroy/{SID}", ConnectError("refused"))
    script.now(15.0)
    error = script.raises(ReleaseFailed)
    assert str(error).startswith(f"leaving session {SID} could not destroy session {SID}")


def test_monitor_watches_the_session_at_most_a_ttl_at_a_time() -> None:
    script = Script(opened(Keepalive(ttl="10s", pacing=PACING)).monitor(300))
    info = f"/v1/session/info/{SID}?consistent"
    script.call("GET", info, reply(body=session_entry(SID), index=4))
    script.now(0.0)
    script.call("GET", f"{info}&index=4&wait=10s", reply(body=[], index=9))
    assert script.returns() == "the session was invalidated"


@pytest.mark.parametrize(
    ("session", "ttl"),
    [
        (None, None),
        ({"Name": "no ttl"}, None),
        (None, "5s"),
        ("an-id", "10s"),
        (42, None),
        ({"ID": ""}, None),
    ],
)
def test_invalid_arguments_are_usage_errors(session: object, ttl: object) -> None:
    with pytest.raises(UsageError):
        Keepalive(session, ttl=ttl, pacing=PACING)  # type: ignore[arg-type]
