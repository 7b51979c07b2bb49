"""Golden requests and recorded responses for the local agent's checks (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from consul_core import NotFound, Response, ServerError, UsageError
from consul_core.call import Call
from consul_core.endpoints import checks
from consul_core.models.agent_checks import CheckRegistration
from consul_core.models.catalog import HealthCheck

# Recorded from Consul 1.8.7: GET /v1/agent/checks after a TTL check was failed with a note.
CHECKS_BODY = b"""{
    "mem": {
        "Node": "node-122b67ff",
        "CheckID": "mem",
        "Name": "Memory utilization",
        "Status": "critical",
        "Notes": "n",
        "Output": "Fatal",
        "ServiceID": "",
        "ServiceName": "",
        "ServiceTags": [],
        "Type": "ttl",
        "Definition": {},
        "CreateIndex": 0,
        "ModifyIndex": 0
    },
    "redis1-ttl": {
        "Node": "node-122b67ff",
        "CheckID": "redis1-ttl",
        "Name": "r ttl",
        "Status": "passing",
        "Notes": "",
        "Output": "",
        "ServiceID": "redis1",
        "ServiceName": "redis",
        "ServiceTags": ["master", "v1"],
        "Type": "ttl",
        "Definition": {},
        "CreateIndex": 0,
        "ModifyIndex": 0
    }
}"""
UNKNOWN_CHECK = Response(500, {}, b'Unknown check "nope"')
NO_SERVICE = Response(500, {}, b'ServiceID "nosvc" does not exist')
NOT_TTL = Response(500, {}, b'CheckID "web" does not have associated TTL')


def _body(call: Call[Any]) -> Any:
    return json.loads(call.request.body or b"null")


def test_register_mapping_example_from_the_docs() -> None:
    call = checks.register({"ID": "mem", "Name": "Memory utilization", "TTL": "15s"})
    assert (call.request.method, call.request.target) == ("PUT", "/v1/agent/check/register")
    assert _body(call) == {"ID": "mem", "Name": "Memory utilization", "TTL": "15s"}
    assert call.parse(Response(200, {}, b"")) is True


def test_register_model_formats_durations_and_leaves_out_defaults() -> None:
    check = CheckRegistration(
        name="web",
        id="web-http",
        service_id="web1",
        http="http://127.0.0.1:8080/health",
        method="POST",
        header={"X-Probe": ["1"]},
        interval=timedelta(seconds=10),
        timeout=1.5,
        deregister_critical_service_after="1m30s",
        tls_skip_verify=True,
        status="passing",
    )
    assert _body(checks.register(check)) == {
        "ID": "web-http",
        "Name": "web",
        "ServiceID": "web1",
        "Status": "passing",
        "Interval": "10s",
        "Timeout": "1500ms",
        "DeregisterCriticalServiceAfter": "90s",
        "HTTP": "http://127.0.0.1:8080/health",
        "Method": "POST",
        "Header": {"X-Probe": ["1"]},
        "TLSSkipVerify": True,
    }


def test_register_mapping_durations_and_check_id_alias() -> None:
    call = checks.register({"CheckID": "tcp", "Name": "tcp", "TCP": "127.0.0.1:1", "Interval": 30})
    assert _body(call) == {"ID": "tcp", "Name": "tcp", "TCP": "127.0.0.1:1", "Interval": "30s"}
    script = checks.register(CheckRegistration(name="s", args=["/bin/true"], interval="5s"))
    assert _body(script) == {"Name": "s", "ScriptArgs": ["/bin/true"], "Interval": "5s"}


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("mem", "mapping"),
        ({"ID": "x"}, "Name"),
        ({"ID": "x", "Name": "x", "TTL": "soon"}, "TTL"),
        ({"ID": "x", "Name": "x", "TTL": -1}, "TTL"),
        ({"ID": "x", "Name": "x", "TTL": "5s", "Header": {"A": "b"}}, "Header"),
        ({"ID": "x", "Name": "x", "TTL": "5s", "TLSSkipVerify": "yes"}, "TLSSkipVerify"),
        ({"ID": "x", "Name": "x", "TTL": "5s", "Status": "ok"}, "Status"),
        ({"ID": "x", "Name": "x", "TTL": "5s", "ScriptArgs": "/bin/true"}, "ScriptArgs"),
        ({"ID": "x", "CheckID": "y", "Name": "x", "TTL": "5s"}, "two different IDs"),
        ({"ID": 3, "Name": "x", "TTL": "5s"}, "ID"),
    ],
)
def test_register_refuses_bad_definitions(check: Any, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        checks.register(check)


def test_register_with_unknown_service_is_not_found() -> None:
    call = checks.register({"Name": "x", "TTL": "5s", "ServiceID": "nosvc"})
    with pytest.raises(NotFound, match="nosvc"):
        call.parse(NO_SERVICE)


def test_items_parse_and_filter() -> None:
    call = checks.items(filter='Status == "critical"')
    assert (call.request.method, call.request.target) == (
        "GET",
        "/v1/agent/checks?filter=Status%20%3D%3D%20%22critical%22",
    )
    found = call.parse(Response(200, {}, CHECKS_BODY))
    assert list(found) == ["mem", "redis1-ttl"]
    assert found["mem"] == HealthCheck(
        node="node-122b67ff",
        check_id="mem",
        name="Memory utilization",
        status="critical",
        notes="n",
        output="Fatal",
        type="ttl",
    )
    assert found["redis1-ttl"].service_tags == ["master", "v1"]
    assert checks.items().parse(Response(200, {}, b"{}")) == {}


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (checks.passing("mem"), "/v1/agent/check/pass/mem"),
        (checks.warning({"ID": "mem"}, note="Warning"), "/v1/agent/check/warn/mem?note=Warning"),
        (
            checks.critical({"CheckID": "a b"}, note="Fatal"),
            "/v1/agent/check/fail/a%20b?note=Fatal",
        ),
        (checks.critical({"Name": "mem"}), "/v1/agent/check/fail/mem"),
        (checks.passing(CheckRegistration(name="n", id="i")), "/v1/agent/check/pass/i"),
        (checks.passing(HealthCheck(check_id="c/1")), "/v1/agent/check/pass/c%2F1"),
        (checks.deregister({"ID": "mem"}), "/v1/agent/check/deregister/mem"),
    ],
)
def test_golden_writes(call: Call[bool], target: str) -> None:
    assert (call.request.method, call.request.target, call.request.body) == ("PUT", target, None)
    assert call.parse(Response(200, {}, b"")) is True


def test_update_sends_status_and_output() -> None:
    call = checks.update("mem", "warning", output="disk 91% full", token="t")
    assert (call.request.method, call.request.target) == ("PUT", "/v1/agent/check/update/mem")
    assert _body(call) == {"Status": "warning", "Output": "disk 91% full"}
    assert call.request.token == "t"
    assert _body(checks.update("mem", "passing")) == {"Status": "passing"}


@pytest.mark.parametrize(
    "call",
    [
        checks.passing("nope"),
        checks.warning("nope"),
        checks.critical("nope"),
        checks.update("nope", "passing"),
        checks.deregister("nope"),
    ],
)
def test_unknown_check_is_not_found(call: Call[bool]) -> None:
    with pytest.raises(NotFound, match="Unknown check"):
        call.parse(UNKNOWN_CHECK)


def test_other_500_stays_a_server_error() -> None:
    with pytest.raises(ServerError, match="does not have associated TTL"):
        checks.passing("web").parse(NOT_TTL)


@pytest.mark.parametrize(
    "build",
    [
        lambda: checks.passing(""),
        lambda: checks.passing({"Notes": "x"}),
        lambda: checks.passing(42),
        lambda: checks.warning("mem", note=3),
        lambda: checks.update("mem", "fine"),
        lambda: checks.update("mem", "passing", output=b"x"),
        lambda: checks.items(filter=1),
        lambda: checks.deregister("mem", token=1),
    ],
)
def test_usage_errors(build: Any) -> None:
    with pytest.raises(UsageError):
        build()
