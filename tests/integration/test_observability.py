"""Logging, event hooks and OpenTelemetry spans, under asyncio, trio and sync, on the real agent
(and on a scripted server for an index that goes backwards, which a running agent never does).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from consul_core import ConnectError, LockLost, NotFound, Request, UsageError
from consul_core.backoff import Backoff
from consul_core.flows import Pacing
from consul_transports.otel import instrument
from consul_transports.testing import (
    ConsulAgent,
    FaultProxy,
    Received,
    Reply,
    ScriptedServer,
    free_port,
    http_response,
)
from tests.conftest import make_client
from tests.hooks import raising, recording
from tests.integration.waiting import body_until_lost

FAST = Pacing(min_interval=0.01, backoff=Backoff(initial=0.05, maximum=0.2))
LINE = re.compile(r"^(\w+) (\S+) -> (\d+) in \d+\.\d ms \(connection (new|reused|unknown)\)$")


def records(caplog: pytest.LogCaptureFixture, logger: str, text: str) -> list[logging.LogRecord]:
    """The records of `logger` whose message holds `text` (other tests' threads may log)."""
    return [r for r in caplog.records if r.name == logger and text in r.getMessage()]


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="consul_transports")
    return caplog


async def test_each_request_is_one_debug_line_with_status_duration_and_connection(
    client: Any, debug_logs: pytest.LogCaptureFixture, unique: str
) -> None:
    await client.kv.set(f"{unique}/k", b"v")
    await client.kv.get(f"{unique}/k")
    with pytest.raises(NotFound):
        await client.kv.get(f"{unique}/missing")
    lines = records(debug_logs, "consul_transports.request", unique)
    assert [r.levelno for r in lines] == [logging.DEBUG] * 3
    parsed = [LINE.match(r.getMessage()) for r in lines]
    assert all(parsed), [r.getMessage() for r in lines]
    assert [m.groups() for m in parsed if m] == [
        ("PUT", f"/v1/kv/{unique}/k", "200", "new"),  # the client's first request
        ("GET", f"/v1/kv/{unique}/k", "200", "reused"),
        ("GET", f"/v1/kv/{unique}/missing", "404", "reused"),
    ]


async def test_httpx_cannot_tell_the_connection(
    new_client: Any, debug_logs: pytest.LogCaptureFixture, unique: str
) -> None:
    async with new_client(transport="httpx") as client:
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/missing")
    [line] = records(debug_logs, "consul_transports.request", unique)
    assert line.getMessage().endswith("(connection unknown)")


async def test_hooks_get_each_request_then_its_response_or_its_error(
    flavor: str, new_client: Any, debug_logs: pytest.LogCaptureFixture, unique: str
) -> None:
    events: list[tuple[Any, ...]] = []
    async with new_client(event_hooks=recording(flavor, events)) as client:
        await client.kv.set(f"{unique}/k", b"v")
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/missing")
    assert [(e[0], e[1].method, e[1].path) for e in events] == [
        ("request", "PUT", f"/v1/kv/{unique}/k"),
        ("response", "PUT", f"/v1/kv/{unique}/k"),
        ("request", "GET", f"/v1/kv/{unique}/missing"),
        ("response", "GET", f"/v1/kv/{unique}/missing"),
    ]
    assert events[0][1] is events[1][1] and events[2][1] is events[3][1]
    assert isinstance(events[0][1], Request)
    assert [events[1][2].status, events[3][2].status] == [200, 404]

    events.clear()
    closed = f"127.0.0.1:{free_port()}"
    async with new_client(address=closed, event_hooks=recording(flavor, events)) as client:
        with pytest.raises(ConnectError) as raised:
            await client.kv.get(f"{unique}/k")
    assert [e[0] for e in events] == ["request", "error"]
    assert events[1][1] is events[0][1] and events[1][2] is raised.value
    [line] = records(debug_logs, "consul_transports.request", f"{unique}/k failed after")
    assert re.match(
        rf"^GET /v1/kv/{unique}/k failed after \d+\.\d ms: ConnectError: ",
        str(line.msg % line.args),
    )


async def test_a_hook_that_raises_stops_the_call_with_its_exception(
    flavor: str, client: Any, new_client: Any, unique: str
) -> None:
    events: list[tuple[Any, ...]] = []
    hooks = recording(flavor, events)
    hooks["request"].insert(0, raising(flavor, RuntimeError("refused by a hook")))
    async with new_client(event_hooks=hooks) as hooked:
        with pytest.raises(RuntimeError, match="refused by a hook"):
            await hooked.kv.set(f"{unique}/k", b"v")
    assert events == []  # neither sent nor answered
    with pytest.raises(NotFound):
        await client.kv.get(f"{unique}/k")

    hooks = recording(flavor, events)
    hooks["response"].insert(0, raising(flavor, RuntimeError("the response displeased")))
    async with new_client(event_hooks=hooks) as hooked:
        with pytest.raises(RuntimeError, match="the response displeased"):
            await hooked.kv.set(f"{unique}/k", b"v")
    assert [e[0] for e in events] == ["request"]  # the later response hook did not run
    entry, _ = await client.kv.get(f"{unique}/k")  # the request was sent
    assert entry.value == b"v"


async def test_hooks_are_checked_before_any_request(flavor: str, new_client: Any) -> None:
    wrong = recording("asyncio" if flavor == "sync" else "sync", [])
    with pytest.raises(UsageError, match="event hooks must be"):
        new_client(event_hooks=wrong)
    with pytest.raises(UsageError, match="not 'answer'"):
        new_client(event_hooks={"answer": []})
    with pytest.raises(UsageError, match="not a callable"):
        new_client(event_hooks={"request": [42]})


async def test_a_lost_lock_is_a_warning(
    flavor: str, client: Any, caplog: pytest.LogCaptureFixture, unique: str
) -> None:
    caplog.set_level(logging.WARNING, logger="consul_transports")
    with pytest.raises(LockLost):
        async with client.lock(f"{unique}/lock", ttl="10s", lock_delay=0) as lock:
            await client.session.destroy(lock.session)
            await body_until_lost(lock, flavor)
    [lost] = records(caplog, "consul_transports.lock", f"{unique}/lock")
    assert lost.levelno == logging.WARNING and " is lost: " in lost.getMessage()


MARK: contextvars.ContextVar[str] = contextvars.ContextVar("MARK", default="none")


async def test_a_holds_background_requests_are_made_in_the_callers_context(
    flavor: str, new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    # Its renewal's and monitor's: a span current when the block is entered is their parent
    # (the sync client's threads started in an empty context, each request a trace of its own).
    seen: list[tuple[bool, str]] = []

    def record(request: Request) -> None:
        seen.append((request.blocking, MARK.get()))

    async def arecord(request: Request) -> None:
        record(request)

    hooks = {"request": [record if flavor == "sync" else arecord]}
    MARK.set("the caller's")
    async with (
        new_client(token=consul_agent.master_token, event_hooks=hooks) as c,
        c.lock(f"{unique}/lock", ttl="10s", lock_delay=0),
    ):
        with anyio.fail_after(10):
            while not any(blocking for blocking, _ in seen):  # the monitor's first read
                await anyio.sleep(0.01)
    assert {mark for _, mark in seen} == {"the caller's"}


async def test_a_watch_backing_off_is_a_warning(
    client: Any,
    new_client: Any,
    consul_agent: ConsulAgent,
    caplog: pytest.LogCaptureFixture,
    unique: str,
) -> None:
    caplog.set_level(logging.INFO, logger="consul_transports")
    await client.kv.set(unique, b"before")

    def backed_off() -> list[logging.LogRecord]:
        return records(caplog, "consul_transports.watch", f"watch of GET /v1/kv/{unique}")

    async def change_once_backed_off() -> None:
        with anyio.fail_after(10):
            while not backed_off():
                await anyio.sleep(0.02)
        await client.kv.set(unique, b"after")  # straight to the agent

    with FaultProxy(consul_agent.http_port) as proxy:
        async with (
            new_client(address=proxy.address, pacing=FAST) as through,
            through.kv.watch(unique, watch=(0, "1s")) as watch,
        ):
            with anyio.fail_after(10):
                async for _ in watch:
                    break
            proxy.outage(0.5)  # the watch's next reads fail: it backs off
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(change_once_backed_off)
                with anyio.fail_after(15):
                    async for entry, _ in watch:
                        if entry.value == b"after":
                            break
    assert {r.levelno for r in backed_off()} == {logging.WARNING}
    assert re.search(
        r" failed \(\w+: .*\); reading again in \d+\.\d\ds$", backed_off()[0].getMessage()
    )


def _unanswered_second(request: Received) -> Reply:
    """Answers the first request of a connection, and closes the connection on the second one
    without answering (as an agent that dropped an idle connection).
    """
    if request.number == 2:
        return Reply(then="close")
    return Reply(http_response(404, b"", (("X-Consul-Index", "1"),)))


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_request_sent_again_is_a_warning(
    flavor: str, transport: str, caplog: pytest.LogCaptureFixture, anyio_backend: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="consul_transports")
    with ScriptedServer(_unanswered_second) as server:
        async with make_client(flavor, server.address, transport=transport) as client:
            for key in ("first", "second"):
                with pytest.raises(NotFound):
                    await client.kv.get(key)
    [resent] = records(caplog, "consul_transports.request", "sending it again")
    assert resent.levelno == logging.WARNING
    assert resent.getMessage().startswith("GET /v1/kv/second: the agent ")
    assert [r.connection for r in server.received] == [1, 1, 2]
    if transport == "native":
        [line] = records(caplog, "consul_transports.request", "/v1/kv/second -> 404")
        assert line.getMessage().endswith("(connection new)")


def _index_going_back(request: Received) -> Reply:
    """A key whose index is 10 at first, then 5 (a restored snapshot, a restarted agent)."""
    index = 5 if "index=" in request.target else 10
    body = json.dumps([{"Key": "k", "Value": None, "CreateIndex": 1, "ModifyIndex": index}])
    return Reply(http_response(200, body.encode(), (("X-Consul-Index", str(index)),)))


async def test_an_index_going_back_is_info(
    flavor: str, caplog: pytest.LogCaptureFixture, anyio_backend: str
) -> None:
    caplog.set_level(logging.INFO, logger="consul_transports")
    indexes = []
    with ScriptedServer(_index_going_back) as server:
        async with (
            make_client(flavor, server.address, pacing=FAST) as client,
            client.kv.watch("k") as watch,
        ):
            with anyio.fail_after(10):
                async for _, meta in watch:
                    indexes.append(meta.index)
                    if len(indexes) == 2:
                        break
    assert indexes == [10, 5]
    [reset] = records(caplog, "consul_transports.watch", "the index went back")
    assert reset.levelno == logging.INFO
    assert reset.getMessage() == (
        "watch of GET /v1/kv/k: the index went back from 10 to 5; reading again without blocking"
    )


def test_nothing_is_printed_when_logging_is_not_configured() -> None:
    script = (
        "from consul_transports import _observe\n"
        "_observe.lost('lock on key k', 'the session was invalidated')\n"
        "_observe.REQUESTS.debug('GET /v1/kv/k')\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert (ran.stdout, ran.stderr) == ("", "")


@pytest.fixture
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    """A tracer provider whose finished spans an in-memory exporter keeps."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def of(exporter: InMemorySpanExporter, text: str) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if text in str(s.attributes["url.full"])]


async def test_a_client_span_per_request_with_the_http_conventions(
    new_client: Any,
    consul_agent: ConsulAgent,
    spans: tuple[TracerProvider, InMemorySpanExporter],
    unique: str,
) -> None:
    provider, exporter = spans
    async with new_client() as client:
        instrument(client, provider)
        await client.kv.set(f"{unique}/k", b"v")
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/missing")
    put, get = of(exporter, unique)
    base = f"http://127.0.0.1:{consul_agent.http_port}"
    assert (put.name, put.kind, get.name) == ("PUT", SpanKind.CLIENT, "GET")
    assert dict(put.attributes or {}) == {
        "http.request.method": "PUT",
        "url.full": f"{base}/v1/kv/{unique}/k",
        "server.address": "127.0.0.1",
        "server.port": consul_agent.http_port,
        "http.response.status_code": 200,
    }
    assert (get.attributes or {})["http.response.status_code"] == 404
    assert put.status.status_code is get.status.status_code is StatusCode.UNSET  # a 404 is no error

    closed = free_port()
    async with new_client(address=f"127.0.0.1:{closed}") as client:
        instrument(client, provider)
        with pytest.raises(ConnectError):
            await client.kv.get(f"{unique}/k")
    [failed] = of(exporter, f":{closed}/")
    assert (failed.attributes or {})["error.type"] == "ConnectError"
    assert "http.response.status_code" not in (failed.attributes or {})
    assert failed.status.status_code is StatusCode.ERROR


async def test_concurrent_requests_keep_their_own_spans(
    new_client: Any, spans: tuple[TracerProvider, InMemorySpanExporter], unique: str
) -> None:
    provider, exporter = spans
    async with new_client() as client:
        instrument(client, provider)
        await client.kv.set(f"{unique}/0", b"v")

        async def get(number: int) -> None:
            with contextlib.suppress(NotFound):
                await client.kv.get(f"{unique}/{number % 2}")

        async with anyio.create_task_group() as tasks:
            for number in range(20):
                tasks.start_soon(get, number)
    reads = [s for s in of(exporter, unique) if s.name == "GET"]
    assert len(reads) == 20
    for span in reads:  # the status of each span is its own request's
        found = str((span.attributes or {})["url.full"]).endswith("/0")
        assert (span.attributes or {})["http.response.status_code"] == (200 if found else 404)


async def test_a_span_per_watch_read(
    flavor: str, new_client: Any, spans: tuple[TracerProvider, InMemorySpanExporter], unique: str
) -> None:
    provider, exporter = spans
    events: list[tuple[Any, ...]] = []
    async with new_client(event_hooks=recording(flavor, events), pacing=FAST) as client:
        instrument(client, provider)
        await client.kv.set(unique, b"a")
        async with client.kv.watch(unique, watch=(0, "1s")) as watch:
            with anyio.fail_after(15):
                async for entry, _ in watch:
                    if entry.value == b"a":
                        await client.kv.set(unique, b"b")
                    if entry.value == b"b":
                        break
    reads = [e[1] for e in events if e[0] == "request" and e[1].method == "GET"]
    watched = [s for s in of(exporter, f"/v1/kv/{unique}") if s.name == "GET"]
    assert len(watched) == len(reads) >= 2  # one span per read, not one per watch
    assert any("index=" in str((s.attributes or {})["url.full"]) for s in watched)


async def test_a_hook_that_raises_leaves_no_span_open(
    flavor: str, new_client: Any, spans: tuple[TracerProvider, InMemorySpanExporter], unique: str
) -> None:
    provider, exporter = spans
    hooks = {"response": [raising(flavor, RuntimeError("the response displeased"))]}
    async with new_client(event_hooks=hooks) as client:
        instrument(client, provider)
        with pytest.raises(RuntimeError, match="the response displeased"):
            await client.kv.set(f"{unique}/k", b"v")
    [span] = of(exporter, unique)  # ended before the client's own hook raised
    assert (span.attributes or {})["http.response.status_code"] == 200
