"""Golden requests and recorded responses for the agent's version, its Prometheus metrics and
the text form of its services' health status (no I/O).
"""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import NotFound, Response, ResponseError, UnexpectedResponse, UsageError
from consul_core.call import Call
from consul_core.endpoints import agent_text, agent_version
from consul_core.models import AgentService, AgentVersion

# The sample of the pull request that added the endpoint (hashicorp/consul#17506, Consul 1.16).
VERSION_BODY = (
    b'{"SHA":"f084646504+CHANGES","BuildDate":"2023-05-30T15:02:42Z",'
    b'"HumanVersion":"1.16.0-dev","FIPS":""}'
)
# Recorded from Consul 1.8.7 (telemetry.prometheus_retention_time set, and unset).
PROMETHEUS_BODY = b"""# HELP consul_acl_ResolveToken consul_acl_ResolveToken
# TYPE consul_acl_ResolveToken summary
consul_acl_ResolveToken{quantile="0.5"} 0.05293300002813339
consul_acl_ResolveToken_sum 0.6
consul_acl_ResolveToken_count 3
"""
PROMETHEUS_OFF = b"Prometheus is not enabled since its retention time is not positive"


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


def test_version() -> None:
    call = agent_version.version(token="secret")
    assert _target(call) == ("GET", "/v1/agent/version")
    assert call.parse(Response(200, {}, VERSION_BODY)) == AgentVersion(
        sha="f084646504+CHANGES", build_date="2023-05-30T15:02:42Z", human_version="1.16.0-dev"
    )


def test_prometheus_metrics_are_the_text_as_sent() -> None:
    call = agent_text.metrics_prometheus()
    assert _target(call) == ("GET", "/v1/agent/metrics?format=prometheus")
    assert call.parse(Response(200, {}, PROMETHEUS_BODY)) == PROMETHEUS_BODY.decode()
    with pytest.raises(ResponseError, match="Prometheus is not enabled") as caught:
        call.parse(Response(415, {}, PROMETHEUS_OFF))
    assert caught.value.status == 415
    with pytest.raises(UnexpectedResponse):
        call.parse(Response(200, {}, b"\xff\xfe"))


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, b"passing", "passing"),
        (429, b"warning", "warning"),
        (503, b"critical", "critical"),
        (503, b"maintenance", "maintenance"),
    ],
)
def test_health_status_is_a_result_whatever_the_status(
    status: int, body: bytes, expected: str
) -> None:
    by_id = agent_text.health_status(AgentService(id="api1", service="api"))
    assert _target(by_id) == ("GET", "/v1/agent/health/service/id/api1?format=text")
    assert by_id.parse(Response(status, {"X-Consul-Reason": expected}, body)) == expected
    by_name = agent_text.health_status_by_name({"Name": "api"})
    assert _target(by_name) == ("GET", "/v1/agent/health/service/name/api?format=text")
    assert by_name.parse(Response(status, {}, body)) == expected


def test_unknown_instances_and_odd_texts() -> None:
    # Recorded from Consul 1.8.7.
    with pytest.raises(NotFound):
        agent_text.health_status("nothere").parse(
            Response(404, {}, b'"ServiceId nothere not found"\n')
        )
    with pytest.raises(NotFound):
        agent_text.health_status_by_name("nothere").parse(
            Response(404, {}, b"ServiceName nothere Not Found")
        )
    with pytest.raises(UnexpectedResponse):
        agent_text.health_status("api1").parse(Response(200, {}, b"fine"))


@pytest.mark.parametrize(
    "make",
    [
        lambda: agent_text.health_status(""),
        lambda: agent_text.health_status({"Service": ""}),
        lambda: agent_text.health_status_by_name(None),
        lambda: agent_version.version(token=7),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
