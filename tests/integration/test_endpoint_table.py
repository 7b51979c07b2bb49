"""The `golden` rows of docs/endpoints.md are endpoints Consul 1.8.7 does not have: each
method's own request, sent to the real agent under asyncio, trio and sync, finds no such
endpoint.
"""

from __future__ import annotations

from typing import Any

import pytest

from consul_core.call import Call
from consul_core.endpoints import agent, agent_stream
from tests.endpoint_table import ROWS, Row, method, path_pattern
from tests.integration.raw import send
from tests.sample_calls import CALLS

NEW_TOKEN_KINDS = ("agent_recovery", "config_file_service_registration")
# What 1.8.7 answers, other than a bare 404, to endpoints it does not have: an intention "by
# name" is, to 1.8.7, an intention whose ID is "exact" (a read answers 400, a write 500); a
# token kind newer than 1.8.7 is an unknown kind.
OTHER_ANSWERS = {
    ("GET", "/v1/connect/intentions/exact"): (400, b"UUID must be 36 characters"),
    ("PUT", "/v1/connect/intentions/exact"): (500, b"UUID must be 36 characters"),
    ("DELETE", "/v1/connect/intentions/exact"): (500, b"UUID must be 36 characters"),
    **{
        ("PUT", f"/v1/agent/token/{kind}"): (404, f'Token "{kind}" is unknown'.encode())
        for kind in NEW_TOKEN_KINDS
    },
}
# The calls of rows whose path fixes an argument that the method's sample call sets otherwise.
ROW_CALLS: dict[str, Call[Any]] = {
    **{f"PUT /v1/agent/token/{kind}": agent.update_token(kind, "") for kind in NEW_TOKEN_KINDS},
    # A stream's request, sent whole: 1.8.7 answers at once.
    "GET /v1/agent/metrics/stream": agent_stream.metrics_stream().call,
}
GOLDEN = [
    pytest.param(row, dotted, id=f"{row.http} {dotted}")
    for row in ROWS
    if row.proof == "golden"
    for dotted in row.methods
]


def _sample_call(row: Row, dotted: str) -> Call[Any]:
    bound = method(dotted)
    call = (
        ROW_CALLS.get(row.http) or CALLS[f"{bound.__module__.rsplit('.', 1)[-1]}.{bound.__name__}"]
    )
    assert call.request.method == row.http.split(" ")[0]
    assert path_pattern(row.http).match(call.request.target), call.request.target
    return call


@pytest.mark.parametrize(("row", "dotted"), GOLDEN)
async def test_consul_1_8_7_has_no_golden_endpoint(
    client: Any, flavor: str, row: Row, dotted: str
) -> None:
    version = (await client.agent.info()).config.version
    assert version == "1.8.7", "the golden rows are those this version lacks"
    call = _sample_call(row, dotted)
    response = await send(client, flavor, call)
    status, text = OTHER_ANSWERS.get((call.request.method, call.request.path), (404, b""))
    assert response.status == status, response.body
    assert text in response.body if text else response.body == b""
