"""The service heartbeat, scripted effect by effect, and the aggregated health status."""

from __future__ import annotations

import json

import pytest

from consul_core import ConnectError, ReleaseFailed, UsageError
from consul_core.backoff import Backoff
from consul_core.flows import Heartbeat, Pacing, aggregated_status
from consul_core.models.health import HealthCheck
from tests.core.flowscript import Script, reply

PACING = Pacing(backoff=Backoff(initial=1, maximum=4, jitter=0))
REGISTER = "/v1/agent/service/register"
BEAT = "/v1/agent/check/pass/service%3Aweb-1%3Aheartbeat?note=alive"
DEREGISTER = "/v1/agent/service/deregister/web-1"


def heartbeat(pacing: Pacing = PACING) -> Heartbeat:
    return Heartbeat(
        {"ID": "web-1", "Name": "web", "Port": 8080, "Check": {"TTL": "1m"}},
        ttl="10s",
        note="alive",
        pacing=pacing,
    )


def test_registers_the_service_with_a_passing_ttl_check() -> None:
    beating = heartbeat()
    assert (beating.service_id, beating.check_id) == ("web-1", "service:web-1:heartbeat")
    script = Script(beating.open())
    request = script.call("PUT", REGISTER, reply(body=b""))
    assert json.loads(request.body or b"") == {
        "ID": "web-1",
        "Name": "web",
        "Port": 8080,
        "Check": {"TTL": "60s"},
        "Checks": [
            {
                "CheckID": "service:web-1:heartbeat",
                "Name": "heartbeat",
                "TTL": "10s",
                "Status": "passing",
            }
        ],
    }
    script.returns()


def test_the_agent_may_deregister_a_service_whose_heartbeat_stopped() -> None:
    # A process killed before it could leave: its service goes once critical that long.
    beating = Heartbeat({"Name": "web"}, ttl="10s", deregister_after="5m")
    request = Script(beating.open()).call("PUT", REGISTER, reply(body=b""))
    [check] = json.loads(request.body or b"")["Checks"]
    assert check["DeregisterCriticalServiceAfter"] == "300s"
    with pytest.raises(UsageError, match="deregister_after"):
        Heartbeat({"Name": "web"}, deregister_after="soon")


def test_beats_every_half_ttl_retries_errors_and_re_registers_a_lost_check() -> None:
    script = Script(heartbeat().renew())
    script.sleep(5.0)
    # A beat (the local agent answers it at once) is given a quarter of the TTL: one sent on
    # a dead connection is made again before the check turns critical.
    assert script.call("PUT", BEAT, reply(body=b"")).timeout == 2.5
    script.sleep(5.0)
    script.call("PUT", BEAT, ConnectError("refused"))
    script.sleep(1.0)
    script.call("PUT", BEAT, reply(503, b"agent busy"))
    script.sleep(2.0)
    # The agent restarted without the service: register it again.
    script.call("PUT", BEAT, reply(500, b'CheckID "service:web-1:heartbeat" does not exist'))
    assert script.call("PUT", REGISTER, reply(body=b"")).timeout == 2.5
    script.sleep(5.0)
    script.call("PUT", BEAT, reply(body=b""))
    script.sleep(5.0)
    # Each failed report is told (as a lease's failed steps are), with its next try.
    assert [notice.message for notice in script.notices] == [
        "could not report the heartbeat of service 'web-1' yet (ConnectError: refused); "
        "trying again in 1.00s",
        f"could not report the heartbeat of service 'web-1' yet (ServerError: 503 PUT "
        f"{BEAT.split('?', maxsplit=1)[0]}: agent busy); trying again in 2.00s",
    ]


def test_a_report_waits_as_long_as_a_busy_agent_asks_within_half_the_ttl() -> None:
    script = Script(heartbeat().renew())
    script.sleep(5.0)
    script.call("PUT", BEAT, reply(503, b"agent busy", headers={"Retry-After": "3"}))
    script.sleep(3.0)  # not the backoff's 1
    script.call("PUT", BEAT, reply(503, b"agent busy", headers={"Retry-After": "60"}))
    script.sleep(4.0)  # the backoff's maximum, within half the TTL
    script.call("PUT", BEAT, reply(body=b""))
    script.sleep(5.0)


def test_a_refused_report_is_told_and_retried() -> None:
    # A token that lost its rights: the check turns critical, and passes again once an operator
    # gives them back; meanwhile each refusal is told, never silently retried.
    script = Script(heartbeat().renew())
    script.sleep(5.0)
    for delay in (1.0, 2.0, 4.0, 4.0):  # the backoff's cap
        script.call("PUT", BEAT, reply(403, b"Permission denied"))
        script.sleep(delay)
    script.call("PUT", BEAT, reply(body=b""))
    script.sleep(5.0)
    assert len(script.notices) == 4
    assert all("(PermissionDenied: 403 PUT" in notice.message for notice in script.notices)


def test_retries_come_at_least_every_half_ttl_however_long_the_agent_is_away() -> None:
    # The check passes again within TTL/2 of the agent's return, not after a longer backoff.
    script = Script(heartbeat(Pacing(backoff=Backoff(initial=1, maximum=30, jitter=0))).renew())
    script.sleep(5.0)
    for delay in (1.0, 2.0, 4.0, 5.0, 5.0):
        script.call("PUT", BEAT, ConnectError("refused"))
        script.sleep(delay)
    script.call("PUT", BEAT, reply(body=b""))
    script.sleep(5.0)


def test_deregisters_at_the_end_retrying_through_errors() -> None:
    script = Script(heartbeat().close())
    script.now(0.0)
    script.now(0.0)
    # Each try may take a third of the cleanup time: one sent on a dead connection is made again.
    assert script.call("PUT", DEREGISTER, reply(500, b"boom")).timeout == 5.0
    script.now(0.1)
    script.sleep(1.0)
    script.now(1.1)
    assert script.call("PUT", DEREGISTER, reply(body=b"")).timeout == 5.0
    script.returns()


def test_a_service_left_registered_makes_leaving_fail() -> None:
    script = Script(heartbeat().close())
    script.now(0.0)
    script.now(0.0)
    script.call("PUT", DEREGISTER, ConnectError("refused"))
    script.now(15.0)
    error = script.raises(ReleaseFailed)
    assert str(error) == (
        "leaving the registration of service 'web-1' could not deregister service 'web-1' "
        "(Timeout: could not clean up the registration of service 'web-1' within 15s "
        "(ConnectError: refused))"
    )


@pytest.mark.parametrize(
    ("service", "ttl"), [({"Port": 1}, "10s"), ({"Name": "web"}, 0), ("web", "10s")]
)
def test_invalid_arguments_are_usage_errors(service: object, ttl: object) -> None:
    with pytest.raises(UsageError):
        Heartbeat(service, ttl=ttl)  # type: ignore[arg-type]


def check(status: str, check_id: str = "c") -> HealthCheck:
    return HealthCheck(check_id=check_id, status=status)


@pytest.mark.parametrize(
    ("checks", "expected"),
    [
        ([], "passing"),
        ([check("passing"), check("passing")], "passing"),
        ([check("passing"), check("warning")], "warning"),
        ([check("warning"), check("critical"), check("passing")], "critical"),
        ([check("critical"), check("critical", "_node_maintenance")], "maintenance"),
        ([check("passing", "_service_maintenance:web-1")], "maintenance"),
        ([check("passing"), check("unknown")], None),
        ([check("critical", "_node_maintenance"), check("")], None),
    ],
)
def test_aggregated_status_follows_gos_heuristic(
    checks: list[HealthCheck], expected: str | None
) -> None:
    assert aggregated_status(checks) == expected
