"""Benchmark consul-sansio against raw HTTP clients, py-consul and the floor, on one dev agent.

Measured in interleaved rounds (each round runs every client once, so that a change in the
machine's load touches every client alike; each round in an order turned by one), with the
client process's CPU time per call (`time.process_time`, so the agent's work is not counted):

- ``get``: KV GET of a 100-byte value, one call at a time;
- ``get x16``: the same with 16 concurrent callers (tasks, or threads for sync clients);
- ``put`` and ``put x16``: KV PUT of a 100-byte value, likewise;
- ``tree``: a 10,000-key ``get_tree`` (about 1.9 MB of indented JSON), parsed into entries;
- ``health``: ``health.service`` of a service with 500 instances (about 0.8 MB), registered
  through the catalog without metadata, as Consul 1.8.7 sends it (Go's nil maps as null),
  parsed into entries;
- ``wake-up``: how long after a write starts a blocking GET waiting on that key returns.

Clients: consul-sansio with the native and httpx transports under asyncio (and uvloop), trio
and sync; raw httpx (``AsyncClient`` and ``Client``) and raw aiohttp, which send the same
requests and decode the JSON body; py-consul (``consul.aio.Consul`` and ``consul.Consul``);
the floor (`floor_client`: keep-alive HTTP/1.1 framed by httptools, nothing else); and the
sans-IO core on the floor's blocking client (`CoreOnFloor`: the core's requests and typed
results, none of the client's transport, pool or driver). Needs
``aiohttp``, ``py-consul`` and ``uvloop``. Run ``python benchmarks/bench.py``; ``--rounds``
trades time for stability, ``--json`` names the results file (read by ``report.py``, which
draws the chart and writes ``docs/benchmarks.md``). It prints markdown tables, per-round
ratios and the project's targets, met or missed.
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import os
import platform
import statistics
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol, TypeVar

import anyio
import httpx
from floor_client import AsyncFloor, SyncFloor  # beside this file

from consul_core import Call, Headers, Response
from consul_core.endpoints import health, kv
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.testing import ConsulAgent, find_consul
from consul_transports.trio import Consul as TrioConsul

KEY = "bench/value"
PUT_KEY = "bench/written"
WATCHED = "bench/watched"
PREFIX = "bench/tree/"
VALUE = b"v" * 100
TREE_SIZE = 10_000
CONCURRENCY = 16
# Seconds each client spends on each workload in a round (each caller makes one call at least):
# every client is measured over the same time, the fast ones over more calls, and the whole run
# takes a few minutes.
SECONDS = {"get": 0.4, "get x16": 0.4, "put": 0.3, "put x16": 0.3, "tree": 0.4, "health": 0.4}
CONCURRENT = {
    "get": 1, "get x16": CONCURRENCY, "put": 1, "put x16": CONCURRENCY, "tree": 1, "health": 1
}  # fmt: skip
BIG_READS = ("tree", "health")
# The big reads first: the agent's own work for them (its garbage collection after building
# 0.7-1.9 MB replies) would otherwise fall on the wake-up samples taken after the workloads.
WORKLOADS = (*BIG_READS, "get", "get x16", "put", "put x16")
WAKEUPS = 2  # wake-up samples per round
TXN_OPS = 64  # Consul 1.8's limit per transaction
SERVICE = "big"
INSTANCES = 500
NODES = 50  # the instances' nodes
RESULTS = Path(__file__).parent / "results" / "bench.json"


class Adapter(Protocol):
    """One client, seen through the six operations the workloads need (the floor has no
    ``index`` and ``watch``: it is not measured waking up).
    """

    def get(self) -> Any: ...
    def put(self, key: str, value: bytes) -> Any: ...
    def tree(self) -> Any: ...
    def health(self) -> Any: ...
    def index(self) -> Any: ...
    def watch(self, index: int) -> Any: ...


# --- clients ---------------------------------------------------------------------------------


class Ours:
    """consul-sansio (either flavor); its methods return coroutines or values alike."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self) -> Any:
        return self.client.kv.get(KEY)

    def put(self, key: str, value: bytes) -> Any:
        return self.client.kv.set(key, value)

    def tree(self) -> Any:
        return self.client.kv.get_tree(PREFIX)

    def health(self) -> Any:
        return self.client.health.service(SERVICE)

    def index(self) -> Any:
        return self.client.kv.get(WATCHED)

    def watch(self, index: int) -> Any:
        return self.client.kv.get(WATCHED, watch=(index, "10s"))


def _decode_entries(body: bytes) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(body)
    for entry in entries:
        if entry.get("Value") is not None:
            entry["Value"] = base64.b64decode(entry["Value"])
    return entries


class RawHttpxAsync:
    """httpx.AsyncClient sending the same requests; decodes the JSON (and base64 values)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def _get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params or None)

    async def get(self) -> Any:
        return _decode_entries((await self._get(f"/v1/kv/{KEY}")).content)

    async def put(self, key: str, value: bytes) -> Any:
        return json.loads((await self.client.put(f"/v1/kv/{key}", content=value)).content)

    async def tree(self) -> Any:
        return _decode_entries((await self._get(f"/v1/kv/{PREFIX}", recurse="")).content)

    async def health(self) -> Any:
        return json.loads((await self._get(f"/v1/health/service/{SERVICE}")).content)

    async def index(self) -> int:
        return int((await self._get(f"/v1/kv/{WATCHED}")).headers["X-Consul-Index"])

    async def watch(self, index: int) -> Any:
        return (await self._get(f"/v1/kv/{WATCHED}", index=index, wait="10s")).content


class RawHttpxSync:
    """httpx.Client sending the same requests; decodes the JSON (and base64 values)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def get(self) -> Any:
        return _decode_entries(self.client.get(f"/v1/kv/{KEY}").content)

    def put(self, key: str, value: bytes) -> Any:
        return json.loads(self.client.put(f"/v1/kv/{key}", content=value).content)

    def tree(self) -> Any:
        return _decode_entries(self.client.get(f"/v1/kv/{PREFIX}", params={"recurse": ""}).content)

    def health(self) -> Any:
        return json.loads(self.client.get(f"/v1/health/service/{SERVICE}").content)

    def index(self) -> int:
        return int(self.client.get(f"/v1/kv/{WATCHED}").headers["X-Consul-Index"])

    def watch(self, index: int) -> Any:
        params: dict[str, str | int] = {"index": index, "wait": "10s"}
        return self.client.get(f"/v1/kv/{WATCHED}", params=params).content


class RawAiohttp:
    """aiohttp.ClientSession sending the same requests; decodes the JSON (and base64 values)."""

    def __init__(self, address: str, session: Any) -> None:
        self.base = address
        self.session = session

    async def _get(self, path: str, **params: Any) -> tuple[bytes, Any]:
        async with self.session.get(self.base + path, params=params or None) as response:
            return await response.read(), response.headers

    async def get(self) -> Any:
        return _decode_entries((await self._get(f"/v1/kv/{KEY}"))[0])

    async def put(self, key: str, value: bytes) -> Any:
        async with self.session.put(f"{self.base}/v1/kv/{key}", data=value) as response:
            return json.loads(await response.read())

    async def tree(self) -> Any:
        return _decode_entries((await self._get(f"/v1/kv/{PREFIX}", recurse=""))[0])

    async def health(self) -> Any:
        return json.loads((await self._get(f"/v1/health/service/{SERVICE}"))[0])

    async def index(self) -> int:
        return int((await self._get(f"/v1/kv/{WATCHED}"))[1]["X-Consul-Index"])

    async def watch(self, index: int) -> Any:
        return (await self._get(f"/v1/kv/{WATCHED}", index=str(index), wait="10s"))[0]


class PyConsul:
    """py-consul (either client); its methods return coroutines or values alike."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self) -> Any:
        return self.client.kv.get(KEY)

    def put(self, key: str, value: bytes) -> Any:
        return self.client.kv.put(key, value)

    def tree(self) -> Any:
        return self.client.kv.get(PREFIX, recurse=True)

    def health(self) -> Any:
        return self.client.health.service(SERVICE)

    def index(self) -> Any:
        return self.client.kv.get(WATCHED)

    def watch(self, index: int) -> Any:
        return self.client.kv.get(WATCHED, index=index, wait="10s")


def _index_of(result: Any) -> int:
    """The index in what `Adapter.index` returned, whichever client it came from."""
    if isinstance(result, int):
        return result
    if hasattr(result[1], "index"):  # ours: (entry, meta)
        return int(result[1].index)
    return int(result[0])  # py-consul: (index, data), the index a string


class Floor:
    """The floor (`floor.AsyncFloor` or `floor.SyncFloor`): raw bodies, no decoding."""

    def __init__(self, floor: Any) -> None:
        self.floor = floor

    def get(self) -> Any:
        return self.floor.call("GET", f"/v1/kv/{KEY}")

    def put(self, key: str, value: bytes) -> Any:
        return self.floor.call("PUT", f"/v1/kv/{key}", value)

    def tree(self) -> Any:
        return self.floor.call("GET", f"/v1/kv/{PREFIX}?recurse")

    def health(self) -> Any:
        return self.floor.call("GET", f"/v1/health/service/{SERVICE}")

    def index(self) -> Any:
        raise NotImplementedError

    def watch(self, index: int) -> Any:
        raise NotImplementedError


T = TypeVar("T")


class CoreOnFloor:
    """The sans-IO core over the floor's blocking client, as a library that brings its own I/O
    would embed it: the requests the core's endpoints build, sent by `floor.SyncFloor`, and
    the replies parsed by the core into the client's typed results. No pool, deadline, driver
    or error mapping: what the sync client adds to a call is its CPU less this one's.
    """

    def __init__(self, floor: SyncFloor) -> None:
        self.floor = floor

    def _perform(self, call: Call[T]) -> T:
        request = call.request
        status, body = self.floor.call(request.method, request.target, request.body or b"")
        headers = Headers.from_fields(dict(self.floor.headers()))
        return call.parse(Response.of(status, headers, body))

    def get(self) -> Any:
        return self._perform(kv.get(KEY))

    def put(self, key: str, value: bytes) -> Any:
        return self._perform(kv.set(key, value))

    def tree(self) -> Any:
        return self._perform(kv.get_tree(PREFIX))

    def health(self) -> Any:
        return self._perform(health.service(SERVICE))

    def index(self) -> Any:
        raise NotImplementedError

    def watch(self, index: int) -> Any:
        raise NotImplementedError


# --- measuring -------------------------------------------------------------------------------


class Samples:
    """What the rounds of one client measured: per workload, one rate and one CPU time per
    call for each round (in round order), and the wake-up latencies.
    """

    def __init__(self) -> None:
        self.rates: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.wakeups: list[float] = []

    def rate(self, workload: str) -> float:
        """The median rate of a workload over the rounds, in calls per second."""
        return statistics.median(self.rates[workload])

    def cpu_us(self, workload: str) -> float:
        """The median client CPU per call of a workload, in microseconds."""
        return statistics.median(self.cpu[workload])

    @property
    def wakeup(self) -> float | None:
        """The median wake-up latency, in seconds (None where not measured)."""
        return statistics.median(self.wakeups) if self.wakeups else None

    def record(self, workload: str, calls: int, wall: float, used: float) -> None:
        """Record one round of `workload`: `calls` calls in `wall` seconds using `used` CPU."""
        self.rates[workload].append(calls / wall)
        self.cpu[workload].append(used / calls * 1e6)

    def as_json(self) -> dict[str, Any]:
        return {
            "rates": dict(self.rates),
            "cpu_us": dict(self.cpu),
            "wakeup_ms": [w * 1e3 for w in self.wakeups],
        }


def _operation(adapter: Adapter, workload: str) -> Callable[[], Any]:
    if workload.startswith("get"):
        return adapter.get
    if workload.startswith("put"):
        return lambda: adapter.put(PUT_KEY, VALUE)
    return adapter.health if workload == "health" else adapter.tree


async def _async_calls(operation: Callable[[], Awaitable[Any]], seconds: float, tasks: int) -> int:
    """Call `operation` from `tasks` tasks for `seconds`; return how many calls were made."""
    end = time.perf_counter() + seconds
    made = 0

    async def worker() -> None:
        nonlocal made
        while True:
            await operation()
            made += 1
            if time.perf_counter() >= end:
                return

    async with anyio.create_task_group() as group:
        for _ in range(tasks):
            group.start_soon(worker)
    return made


def _sync_calls(operation: Callable[[], Any], seconds: float, threads: int) -> int:
    """Call `operation` from `threads` threads for `seconds`; return how many calls were made."""
    end = time.perf_counter() + seconds

    def worker() -> int:
        made = 0
        while True:
            operation()
            made += 1
            if time.perf_counter() >= end:
                return made

    if threads == 1:
        return worker()
    with ThreadPoolExecutor(threads) as pool:
        return sum(future.result() for future in [pool.submit(worker) for _ in range(threads)])


async def async_round(adapter: Adapter, samples: Samples, number: int, wakeups: bool) -> None:
    """One round of every workload on an async client, on the running event loop."""
    for workload in WORKLOADS:  # warm up: open the pool's connections
        await _async_calls(_operation(adapter, workload), 0, CONCURRENT[workload])
    for workload in WORKLOADS:
        wall, used = time.perf_counter(), time.process_time()
        calls = await _async_calls(
            _operation(adapter, workload), SECONDS[workload], CONCURRENT[workload]
        )
        samples.record(workload, calls, time.perf_counter() - wall, time.process_time() - used)
    for sample in range(WAKEUPS if wakeups else 0):
        index = _index_of(await adapter.index())
        woke: list[float] = []

        async def watcher(index: int = index, woke: list[float] = woke) -> None:
            await adapter.watch(index)
            woke.append(time.perf_counter())

        async with anyio.create_task_group() as group:
            group.start_soon(watcher)
            await anyio.sleep(0.05)  # let the blocking query reach the agent
            written = time.perf_counter()
            await adapter.put(WATCHED, b"%d-%d" % (number, sample))
        samples.wakeups.append(woke[0] - written)


def sync_round(adapter: Adapter, samples: Samples, number: int, wakeups: bool) -> None:
    """One round of every workload on a blocking client (16 threads for the concurrent ones)."""
    for workload in WORKLOADS:
        _sync_calls(_operation(adapter, workload), 0, CONCURRENT[workload])
    for workload in WORKLOADS:
        wall, used = time.perf_counter(), time.process_time()
        calls = _sync_calls(_operation(adapter, workload), SECONDS[workload], CONCURRENT[workload])
        samples.record(workload, calls, time.perf_counter() - wall, time.process_time() - used)
    for sample in range(WAKEUPS if wakeups else 0):
        index = _index_of(adapter.index())
        woke: list[float] = []

        def watcher(index: int = index, woke: list[float] = woke) -> None:
            adapter.watch(index)
            woke.append(time.perf_counter())

        thread = threading.Thread(target=watcher)
        thread.start()
        time.sleep(0.05)
        written = time.perf_counter()
        adapter.put(WATCHED, b"%d-%d" % (number, sample))
        thread.join()
        samples.wakeups.append(woke[0] - written)


# --- the clients under test ------------------------------------------------------------------

Opened = tuple[Any, Callable[[], Any]]  # an adapter, and what closes it
Round = Callable[[Samples, int], None]


def async_subject(
    backend: str, open_adapter: Callable[[], Opened], *, uvloop: bool = False, wakeups: bool = True
) -> Round:
    """A round runner for an async client, opened on a fresh event loop each round."""

    def run(samples: Samples, number: int) -> None:
        async def run_round() -> None:
            adapter, close = open_adapter()
            try:
                await async_round(adapter, samples, number, wakeups)
            finally:
                await close()

        options = {"use_uvloop": True} if uvloop else {}
        anyio.run(run_round, backend=backend, backend_options=options)

    return run


def sync_subject(open_adapter: Callable[[], Opened], *, wakeups: bool = True) -> Round:
    """A round runner for a blocking client, opened anew each round."""

    def run(samples: Samples, number: int) -> None:
        adapter, close = open_adapter()
        try:
            sync_round(adapter, samples, number, wakeups)
        finally:
            close()

    return run


OURS_ASYNCIO = "consul-sansio native, asyncio"
OURS_UVLOOP = "consul-sansio native, asyncio+uvloop"
OURS_TRIO = "consul-sansio native, trio"
OURS_SYNC = "consul-sansio native, sync"
RAW_HTTPX_ASYNC = "raw httpx AsyncClient, asyncio"
RAW_HTTPX_SYNC = "raw httpx Client, sync"
RAW_AIOHTTP = "raw aiohttp, asyncio"
PY_CONSUL_AIO = "py-consul aio, asyncio"
PY_CONSUL_SYNC = "py-consul, sync"
FLOOR_ASYNCIO = "floor (anyio + httptools), asyncio"
FLOOR_UVLOOP = "floor (anyio + httptools), asyncio+uvloop"
FLOOR_TRIO = "floor (anyio + httptools), trio"
FLOOR_SYNC = "floor (socket + httptools), sync"
CORE_ON_FLOOR_SYNC = "consul_core on the floor's socket, sync"
# The peers whose big reads ours must match: the fastest of them in each round.
BIG_READ_PEERS = (RAW_HTTPX_ASYNC, RAW_HTTPX_SYNC, RAW_AIOHTTP, PY_CONSUL_AIO, PY_CONSUL_SYNC)


def subjects(address: str, host: str, port: int) -> dict[str, Round]:
    """Every client measured, by the name of its row in the tables."""
    # Imported here: only the bench needs aiohttp and py-consul.
    import aiohttp
    import consul  # type: ignore[import-untyped]
    import consul.aio  # type: ignore[import-untyped]

    def ours(client_class: Any, transport: str) -> Callable[[], Opened]:
        def open_adapter() -> Opened:
            client = client_class(address, transport=transport)
            return Ours(client), getattr(client, "aclose", None) or client.close

        return open_adapter

    def raw_httpx_async() -> Opened:
        client = httpx.AsyncClient(base_url=address)
        return RawHttpxAsync(client), client.aclose

    def raw_httpx_sync() -> Opened:
        client = httpx.Client(base_url=address, limits=httpx.Limits(max_connections=32))
        return RawHttpxSync(client), client.close

    def raw_aiohttp() -> Opened:
        session = aiohttp.ClientSession()
        return RawAiohttp(address, session), session.close

    def py_consul_aio() -> Opened:
        client = consul.aio.Consul(host=host, port=port)
        return PyConsul(client), client.close

    def py_consul_sync() -> Opened:
        client = consul.Consul(host=host, port=port)
        return PyConsul(client), client.http.session.close

    def floor_async() -> Opened:
        floor = AsyncFloor(host, port)
        return Floor(floor), floor.aclose

    def floor_sync() -> Opened:
        floor = SyncFloor(host, port)
        return Floor(floor), floor.close

    def core_on_floor_sync() -> Opened:
        floor = SyncFloor(host, port)
        return CoreOnFloor(floor), floor.close

    runs: dict[str, Round] = {
        OURS_ASYNCIO: async_subject("asyncio", ours(AsyncioConsul, "native")),
        OURS_UVLOOP: async_subject("asyncio", ours(AsyncioConsul, "native"), uvloop=True),
        OURS_TRIO: async_subject("trio", ours(TrioConsul, "native")),
        OURS_SYNC: sync_subject(ours(SyncConsul, "native")),
        "consul-sansio httpx, asyncio": async_subject("asyncio", ours(AsyncioConsul, "httpx")),
        "consul-sansio httpx, trio": async_subject("trio", ours(TrioConsul, "httpx")),
        "consul-sansio httpx, sync": sync_subject(ours(SyncConsul, "httpx")),
        RAW_HTTPX_ASYNC: async_subject("asyncio", raw_httpx_async),
        RAW_HTTPX_SYNC: sync_subject(raw_httpx_sync),
        RAW_AIOHTTP: async_subject("asyncio", raw_aiohttp),
        PY_CONSUL_AIO: async_subject("asyncio", py_consul_aio),
        PY_CONSUL_SYNC: sync_subject(py_consul_sync),
        FLOOR_ASYNCIO: async_subject("asyncio", floor_async, wakeups=False),
        FLOOR_UVLOOP: async_subject("asyncio", floor_async, uvloop=True, wakeups=False),
        FLOOR_TRIO: async_subject("trio", floor_async, wakeups=False),
        FLOOR_SYNC: sync_subject(floor_sync, wakeups=False),
        CORE_ON_FLOOR_SYNC: sync_subject(core_on_floor_sync, wakeups=False),
    }
    return runs


def run_all(runs: dict[str, Round], rounds: int) -> dict[str, Samples]:
    """The rounds, interleaved: each round measures every client once."""
    samples = {name: Samples() for name in runs}
    names = list(runs)
    for number in range(rounds):
        started = time.perf_counter()
        # Each round starts one client further on, so that no client always follows the same
        # one, and each starts with the garbage of those before it collected: a collection
        # they left would otherwise fall on whichever client comes next.
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            runs[name](samples[name], number)
        print(f"round {number + 1}/{rounds}: {time.perf_counter() - started:.0f} s", flush=True)
    return samples


def fill_tree(address: str) -> int:
    """Write the 10,000 keys of the tree workload (in transactions) and the other keys; return
    the size of the tree's JSON.
    """
    with httpx.Client(base_url=address) as client:
        for start in range(0, TREE_SIZE, TXN_OPS):
            operations = [
                {
                    "KV": {
                        "Verb": "set",
                        "Key": f"{PREFIX}{number:05d}",
                        "Value": base64.b64encode(b"%016d" % number).decode(),
                    }
                }
                for number in range(start, min(start + TXN_OPS, TREE_SIZE))
            ]
            client.put("/v1/txn", json=operations).raise_for_status()
        for key in (KEY, PUT_KEY, WATCHED):
            client.put(f"/v1/kv/{key}", content=VALUE).raise_for_status()
        return len(client.get(f"/v1/kv/{PREFIX}", params={"recurse": ""}).content)


def fill_service(address: str) -> int:
    """Register the 500 instances of the health workload on 50 nodes, each with a passing
    check, through the catalog and without metadata; return the size of the read's JSON.
    """
    with httpx.Client(base_url=address) as client:
        for number in range(INSTANCES):
            registration = {
                "Node": f"node-{number % NODES}",
                "Address": f"127.0.0.{1 + number % NODES}",
                "Service": {"ID": f"{SERVICE}-{number}", "Service": SERVICE, "Port": 1000 + number},
                "Check": {
                    "CheckID": f"service:{SERVICE}-{number}",
                    "Name": f"{SERVICE} check",
                    "Status": "passing",
                    "ServiceID": f"{SERVICE}-{number}",
                },
            }
            client.put("/v1/catalog/register", json=registration).raise_for_status()
        return len(client.get(f"/v1/health/service/{SERVICE}").content)


# --- the report ------------------------------------------------------------------------------


def _baselines(row: str) -> tuple[str, str, str]:
    """The raw client, py-consul and floor rows a row is compared with."""
    if row.endswith("sync"):
        return RAW_HTTPX_SYNC, PY_CONSUL_SYNC, FLOOR_SYNC
    if row.endswith("uvloop"):
        return RAW_HTTPX_ASYNC, PY_CONSUL_AIO, FLOOR_UVLOOP
    if row.endswith("trio"):
        return RAW_HTTPX_ASYNC, PY_CONSUL_AIO, FLOOR_TRIO
    return RAW_HTTPX_ASYNC, PY_CONSUL_AIO, FLOOR_ASYNCIO


def round_ratios(
    results: dict[str, Samples], row: str, baseline: str, workload: str
) -> list[float]:
    """The ratio of `row`'s rate to `baseline`'s in each round (the same round's figures)."""
    return [
        ours / theirs
        for ours, theirs in zip(
            results[row].rates[workload], results[baseline].rates[workload], strict=True
        )
    ]


def _spread(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


def print_tables(results: dict[str, Samples]) -> None:
    """One markdown table per workload: rate, ratios against raw httpx and py-consul (median
    of the per-round ratios, and their range), CPU per call and its ratio to the floor's.
    """
    for workload in WORKLOADS:
        print(f"### {workload} (calls/s; ratio = this rate / the baseline's, per round)\n")
        print("| client | calls/s | vs raw httpx | vs py-consul | CPU µs/call | CPU vs floor |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for row, samples in results.items():
            raw, py_consul, floor = _baselines(row)
            ratios = [_spread(round_ratios(results, row, b, workload)) for b in (raw, py_consul)]
            cpu = samples.cpu_us(workload)
            print(
                f"| {row} | {samples.rate(workload):,.0f} | {ratios[0]} | {ratios[1]} "
                f"| {cpu:,.0f} | {cpu / results[floor].cpu_us(workload):.2f}x |"
            )
        print()
    print("### wake-up latency of a blocking GET after a write (ms)\n")
    print("| client | ms |")
    print("| --- | ---: |")
    for row, samples in results.items():
        if samples.wakeup is not None:
            print(f"| {row} | {samples.wakeup * 1e3:.2f} |")
    print()


Target = dict[str, Any]


def targets(results: dict[str, Samples]) -> list[Target]:
    """The targets of the native transport (issue 10), each with what was measured."""
    found: list[Target] = []

    def round_target(target: str, ratios: list[float], bound: str, met: bool) -> None:
        found.append(
            {
                "target": target,
                "measured": statistics.median(ratios),
                "low": min(ratios),
                "high": max(ratios),
                "bound": bound,
                "met": met,
            }
        )

    def rate_target(row: str, baseline: str, workload: str, bound: float) -> None:
        ratios = round_ratios(results, row, baseline, workload)
        met = statistics.median(ratios) >= bound and min(ratios) >= 1.0
        round_target(
            f"{row}: {workload} / {baseline}", ratios, f">= {bound:.2f}x, no round below 1.00x", met
        )

    def read_time_target(row: str, workload: str) -> None:
        # A read's time against the fastest peer's in the same round (their rates, inverted).
        rounds = zip(*(results[peer].rates[workload] for peer in BIG_READ_PEERS), strict=True)
        fastest = [max(rates) for rates in rounds]
        ours = results[row].rates[workload]
        ratios = [peer / own for peer, own in zip(fastest, ours, strict=True)]
        met = statistics.median(ratios) <= 1.0
        round_target(f"{row}: {workload} read time / the fastest peer's", ratios, "<= 1.00x", met)

    def cpu_target(row: str, floor: str, workload: str, bound: float | None = 1.5) -> None:
        # No bound: a figure shown beside the targets (met is None).
        ratio = results[row].cpu_us(workload) / results[floor].cpu_us(workload)
        found.append(
            {
                "target": f"{row}: {workload} CPU per call / {floor}",
                "measured": ratio,
                "bound": "not a target" if bound is None else f"<= {bound:.2f}x",
                "met": None if bound is None else ratio <= bound,
            }
        )

    for workload in ("get x16", "put x16"):
        rate_target(OURS_ASYNCIO, PY_CONSUL_AIO, workload, 1.3)
        rate_target(OURS_ASYNCIO, RAW_AIOHTTP, workload, 1.2)
        rate_target(OURS_TRIO, PY_CONSUL_AIO, workload, 1.5)
    for workload in ("get", "put"):
        rate_target(OURS_SYNC, PY_CONSUL_SYNC, workload, 5.0)
    cpu_target(OURS_ASYNCIO, FLOOR_ASYNCIO, "get x16")
    cpu_target(OURS_UVLOOP, FLOOR_UVLOOP, "get x16")
    cpu_target(OURS_TRIO, FLOOR_TRIO, "get x16")
    cpu_target(OURS_SYNC, FLOOR_SYNC, "get")
    # What the sync client's transport, pool and driver add to the core's own work.
    cpu_target(OURS_SYNC, CORE_ON_FLOOR_SYNC, "get", bound=None)
    for row, baseline in ((OURS_ASYNCIO, PY_CONSUL_AIO), (OURS_TRIO, PY_CONSUL_AIO)):
        rate_target(row, baseline, "get", 1.2)
    for workload in BIG_READS:
        for row in (OURS_ASYNCIO, OURS_TRIO, OURS_SYNC):
            read_time_target(row, workload)
    for row, baseline in ((OURS_ASYNCIO, PY_CONSUL_AIO), (OURS_SYNC, PY_CONSUL_SYNC)):
        ours, theirs = results[row].wakeup, results[baseline].wakeup
        assert ours is not None and theirs is not None
        found.append(
            {
                "target": f"{row}: wake-up ms / {baseline}'s",
                "measured": ours * 1e3,
                "bound": f"<= {theirs * 1e3:.2f}",
                "met": ours <= theirs,
            }
        )
    return found


def print_targets(found: list[Target]) -> None:
    print("### targets\n")
    print("| target | measured | per-round range | bound | met |")
    print("| --- | ---: | ---: | --- | :---: |")
    for target in found:
        spread = f"{target['low']:.2f}-{target['high']:.2f}" if "low" in target else ""
        met = "-" if target["met"] is None else "yes" if target["met"] else "NO"
        print(
            f"| {target['target']} | {target['measured']:.2f} | {spread} "
            f"| {target['bound']} | {met} |"
        )
    print()


def machine(agent_version: str) -> dict[str, Any]:
    """What the figures were taken on."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    names = ("httpx", "httptools", "anyio", "trio", "uvloop", "aiohttp", "py-consul")
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "consul": agent_version,
        "packages": {name: version(name) for name in names},
    }


def consul_version() -> str:
    """The agent's version, as ``consul version`` prints it."""
    shown = subprocess.run(
        [str(find_consul()), "version"], capture_output=True, text=True, check=True
    ).stdout
    return shown.splitlines()[0].removeprefix("Consul ").strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (median)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    options = parser.parse_args()
    about = machine(consul_version())
    print(
        f"{about['cpu']}, {about['cores']} CPUs; Python {about['python']}; "
        f"Consul {about['consul']}; "
        + ", ".join(f"{name} {v}" for name, v in about["packages"].items())
        + "\n"
    )
    started = time.perf_counter()
    load_before = os.getloadavg()
    with ConsulAgent(log_level="warn") as agent:
        tree_bytes = fill_tree(agent.address)
        health_bytes = fill_service(agent.address)
        print(f"tree: {TREE_SIZE} keys, {tree_bytes / 1e6:.2f} MB of JSON per read")
        print(f"health: {INSTANCES} instances, {health_bytes / 1e6:.2f} MB of JSON per read\n")
        runs = subjects(agent.address, "127.0.0.1", agent.http_port)
        results = run_all(runs, options.rounds)
    print()
    print_tables(results)
    found = targets(results)
    print_targets(found)
    elapsed = time.perf_counter() - started
    about["load_average"] = {"before": load_before, "after": os.getloadavg()}
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(
        json.dumps(
            {
                "machine": about,
                "rounds": options.rounds,
                "seconds_per_workload": SECONDS,
                "concurrency": CONCURRENT,
                "tree": {"keys": TREE_SIZE, "bytes": tree_bytes},
                "health": {"instances": INSTANCES, "bytes": health_bytes},
                "seconds": elapsed,
                "clients": {name: samples.as_json() for name, samples in results.items()},
                "targets": found,
            },
            indent=1,
        )
    )
    print(
        f"(whole run: {elapsed:.0f} s; load average before {load_before[0]:.2f}, after "
        f"{about['load_average']['after'][0]:.2f}; results in {options.json})"
    )


if __name__ == "__main__":
    main()
