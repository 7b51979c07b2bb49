"""Streamed calls without I/O: the agent's log and metrics streams, the splitters that cut a
body into items piece by piece, and the streamed snapshot requests.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consul_core import NotFound, PermissionDenied, Response, UsageError
from consul_core._codec import DecodeError
from consul_core.endpoints import agent_stream, snapshot
from consul_core.http import Headers
from consul_core.meta import QueryMeta
from consul_core.models.agent import LogRecord, MetricsInfo
from consul_core.streaming import JsonDocuments, Lines

# Built from the Go client's structs (go-metrics' MetricsSummary, as `/v1/agent/metrics`
# answers it), written as Consul's `metricsEncoder` writes them: `json.Encoder` with
# `SetIndent("", "    ")`, one document per interval, each followed by a newline.
SUMMARIES = [
    {
        "Timestamp": "2026-12-02 04:20:00 +0000 UTC",
        "Gauges": [{"Name": "consul.runtime.num_goroutines", "Value": 98, "Labels": {}}],
        "Points": [],
        "Counters": [
            {
                "Name": "consul.client.rpc",
                "Count": 2,
                "Rate": 0.2,
                "Sum": 2,
                "Min": 1,
                "Max": 1,
                "Mean": 1,
                "Stddev": 0,
                "Labels": {},
            }
        ],
        "Samples": [],
    },
    {
        "Timestamp": "2026-12-02 04:20:10 +0000 UTC",
        "Gauges": [{"Name": "consul.autopilot.healthy", "Value": 1, "Labels": {"dc": "dc1"}}],
        "Points": [],
        "Counters": [],
        "Samples": [],
        "Extra": {"kept": True},
    },
]
METRICS_STREAM_BODY = b"".join(
    json.dumps(summary, indent=4).encode() + b"\n" for summary in SUMMARIES
)
LOG_JSON_LINE = (
    b'{"@level":"info","@message":"Synced service","@module":"agent",'
    b'"@timestamp":"2026-12-02T04:20:00.123456Z","service":"web"}'
)


def _pieces(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(body), *(cut % (len(body) + 1) for cut in cuts)})
    return [body[a:b] for a, b in itertools.pairwise(points)]


def test_monitor_requests_the_log_at_a_level() -> None:
    text = agent_stream.monitor("DEBUG")
    assert text.request.method == "GET"
    assert text.request.target == "/v1/agent/monitor?loglevel=debug"
    assert text.endless
    records = agent_stream.monitor_json(token="t")
    assert records.request.target == "/v1/agent/monitor?loglevel=info&logjson"
    assert records.request.token == "t"


@pytest.mark.parametrize("bad", [{"loglevel": "loud"}, {"loglevel": 3}, {"token": 3}])
@pytest.mark.parametrize("build", [agent_stream.monitor, agent_stream.monitor_json])
def test_monitor_refuses_bad_arguments(
    build: Callable[..., object], bad: dict[str, object]
) -> None:
    with pytest.raises(UsageError):
        build(**bad)


def test_monitor_splits_text_lines_across_pieces() -> None:
    splitter = agent_stream.monitor().splitter()
    assert splitter.feed(b"2026 [INFO] one\r\n2026 [DE") == ["2026 [INFO] one"]
    assert splitter.feed(b"BUG] two\n\n") == ["2026 [DEBUG] two"]
    assert splitter.feed(b"caf\xc3") == []
    assert splitter.end() == ["caf\ufffd"]


def test_monitor_json_lines_are_records_that_keep_their_fields() -> None:
    splitter = agent_stream.monitor_json().splitter()
    (record,) = splitter.feed(LOG_JSON_LINE[:40]) + splitter.feed(LOG_JSON_LINE[40:] + b"\n")
    assert isinstance(record, LogRecord)
    assert (record.level, record.message, record.module) == ("info", "Synced service", "agent")
    assert record.timestamp == "2026-12-02T04:20:00.123456Z"
    assert record.unknown_fields == {"service": "web"}


def test_metrics_stream_requests_the_stream() -> None:
    call = agent_stream.metrics_stream(token="t")
    assert call.request.target == "/v1/agent/metrics/stream"
    assert call.request.token == "t"


@given(st.lists(st.integers(min_value=0), max_size=12))
def test_metrics_stream_cuts_documents_at_any_piece_boundary(cuts: list[int]) -> None:
    splitter = agent_stream.metrics_stream().splitter()
    snapshots = [s for piece in _pieces(METRICS_STREAM_BODY, cuts) for s in splitter.feed(piece)]
    assert splitter.end() == []
    assert all(isinstance(s, MetricsInfo) for s in snapshots)
    assert [s.timestamp for s in snapshots] == [s["Timestamp"] for s in SUMMARIES]
    assert snapshots[0].counters[0].name == "consul.client.rpc"
    assert snapshots[0].counters[0].rate == 0.2
    assert snapshots[1].gauges[0].labels == {"dc": "dc1"}
    assert snapshots[1].unknown_fields == {"Extra": {"kept": True}}


def test_a_document_cut_short_is_an_error() -> None:
    splitter = agent_stream.metrics_stream().splitter()
    assert splitter.feed(METRICS_STREAM_BODY[:50]) == []
    with pytest.raises(DecodeError, match="middle"):
        splitter.end()


def test_items_are_bounded() -> None:
    lines = Lines(bytes.decode, max_item=8)
    assert lines.feed(b"12345678\n1234") == ["12345678"]
    with pytest.raises(DecodeError, match="longer than 8"):
        lines.feed(b"56789")
    documents = JsonDocuments(bytes.decode, max_item=16)
    with pytest.raises(DecodeError, match="larger than 16"):
        documents.feed(b'{\n    "a": "0123456789"\n')


def test_an_error_status_raises_the_typed_error() -> None:
    call = agent_stream.monitor()
    with pytest.raises(PermissionDenied, match="monitor"):
        call.check(403, Headers(), b"Permission denied")
    call.check(200, Headers())
    with pytest.raises(NotFound):
        agent_stream.metrics_stream().check(404, Headers())


def test_an_undecodable_item_names_the_stream() -> None:
    call = agent_stream.monitor_json()
    with pytest.raises(DecodeError) as caught:
        call.splitter().feed(b'{"@level": 3}\n')
    error = call.undecodable(200, Headers(), caught.value)
    assert "/v1/agent/monitor" in str(error)
    assert "documented shape" in str(error)


def test_streamed_snapshot_requests() -> None:
    save = snapshot.save_stream(stale=True, dc="dc2")
    assert (save.request.method, save.request.target) == ("GET", "/v1/snapshot?dc=dc2&stale")
    meta = save.parse(Response(200, {"X-Consul-Index": "7"}, b""))
    assert isinstance(meta, QueryMeta) and meta.index == 7
    restore = snapshot.restore_stream(token="t")
    assert (restore.request.method, restore.request.path) == ("PUT", "/v1/snapshot")
    assert restore.request.body is None
    assert restore.parse(Response(200)) is True


def test_snapshots_take_their_own_timeout() -> None:
    assert snapshot.save_stream().request.timeout is None
    assert snapshot.save_stream(timeout="10m").request.timeout == 600
    assert snapshot.restore_stream(timeout=90).request.timeout == 90
    assert snapshot.save(timeout=120.5).request.timeout == 120.5
    assert snapshot.restore(b"\x1f\x8b", timeout="1h").request.timeout == 3600
    for bad in (0, -1, "soon"):
        with pytest.raises(UsageError):
            snapshot.save_stream(timeout=bad)
