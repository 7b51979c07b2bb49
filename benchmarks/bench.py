"""Benchmark consul-sansio against raw HTTP clients and py-consul, on one local dev agent.

Measured, each as the median of a few short rounds, with the client process's CPU time per call
(`time.process_time`, so the agent's work is not counted):

- ``get``: KV GET of a 100-byte value, one call at a time;
- ``get x16``: the same with 16 concurrent callers (tasks, or threads for sync clients);
- ``put``: KV PUT of a 100-byte value;
- ``tree``: a 10,000-key ``get_tree`` (about 1 MB of JSON), parsed into entries;
- ``wake-up``: how long after a write starts a blocking GET waiting on that key returns.

Clients: consul-sansio with the native and httpx transports under asyncio, trio and sync; raw
httpx (``AsyncClient`` and ``Client``) and raw aiohttp, which send the same requests and decode the
JSON body; py-consul (``consul.aio.Consul`` and ``consul.Consul``). Needs ``aiohttp`` and
``py-consul`` installed. Run ``python benchmarks/bench.py``; ``--rounds`` trades time for
stability. It prints markdown tables and the project's targets, met or missed.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any, Protocol

import anyio
import httpx

from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.testing import ConsulAgent
from consul_transports.trio import Consul as TrioConsul

KEY = "bench/value"
PUT_KEY = "bench/written"
WATCHED = "bench/watched"
PREFIX = "bench/tree/"
VALUE = b"v" * 100
TREE_SIZE = 10_000
CONCURRENCY = 16
# Calls per round of each workload: small enough for the whole run to take under 3 minutes.
CALLS = {"get": 300, "get x16": 480, "put": 150, "tree": 2}
WAKEUPS = 2  # wake-up samples per round
TXN_OPS = 64  # Consul 1.8's limit per transaction


class Adapter(Protocol):
    """One client, seen through the five operations the workloads need."""

    def get(self) -> Any: ...
    def put(self, key: str, value: bytes) -> Any: ...
    def tree(self) -> Any: ...
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


# --- measuring -------------------------------------------------------------------------------


class Figure:
    """One measurement: calls per second and client CPU microseconds per call (medians)."""

    def __init__(self, rates: list[float], cpu: list[float]) -> None:
        self.rate = statistics.median(rates)
        self.cpu_us = statistics.median(cpu)


class Samples:
    """What the rounds of one client measured."""

    def __init__(self) -> None:
        self.rates: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.wakeups: list[float] = []

    def figure(self, workload: str) -> Figure:
        """The medians of a workload's rounds."""
        return Figure(self.rates[workload], self.cpu[workload])

    @property
    def wakeup(self) -> float:
        """The median wake-up latency, in seconds."""
        return statistics.median(self.wakeups)

    @contextmanager
    def clock(self, workload: str, calls: int) -> Iterator[None]:
        """Time `calls` calls of `workload`: wall clock for the rate, process CPU per call."""
        wall, used = time.perf_counter(), time.process_time()
        yield
        wall, used = time.perf_counter() - wall, time.process_time() - used
        self.rates[workload].append(calls / wall)
        self.cpu[workload].append(used / calls * 1e6)


def _workloads(adapter: Adapter) -> dict[str, tuple[Callable[[], Any], int]]:
    return {
        "get": (adapter.get, 1),
        "get x16": (adapter.get, CONCURRENCY),
        "put": (lambda: adapter.put(PUT_KEY, VALUE), 1),
        "tree": (adapter.tree, 1),
    }


async def _async_calls(operation: Callable[[], Awaitable[Any]], calls: int, tasks: int) -> None:
    async def worker(count: int) -> None:
        for _ in range(count):
            await operation()

    if tasks == 1:
        await worker(calls)
        return
    async with anyio.create_task_group() as group:
        for _ in range(tasks):
            group.start_soon(worker, calls // tasks)


def _sync_calls(operation: Callable[[], Any], calls: int, threads: int) -> None:
    def worker(count: int) -> None:
        for _ in range(count):
            operation()

    if threads == 1:
        worker(calls)
        return
    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(worker, calls // threads) for _ in range(threads)]:
            future.result()


async def async_round(adapter: Adapter, samples: Samples, number: int) -> None:
    """One round of every workload on an async client, on the running event loop."""
    workloads = _workloads(adapter)
    for operation, tasks in workloads.values():
        await _async_calls(operation, tasks, tasks)  # warm up: open the pool's connections
    for name, (operation, tasks) in workloads.items():
        with samples.clock(name, CALLS[name]):
            await _async_calls(operation, CALLS[name], tasks)
    for sample in range(WAKEUPS):
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


def sync_round(adapter: Adapter, samples: Samples, number: int) -> None:
    """One round of every workload on a blocking client (16 threads for the concurrent one)."""
    workloads = _workloads(adapter)
    for operation, threads in workloads.values():
        _sync_calls(operation, threads, threads)
    for name, (operation, threads) in workloads.items():
        with samples.clock(name, CALLS[name]):
            _sync_calls(operation, CALLS[name], threads)
    for sample in range(WAKEUPS):
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


def async_subject(backend: str, open_adapter: Callable[[], Opened]) -> Round:
    """A round runner for an async client, opened on a fresh event loop each round."""

    def run(samples: Samples, number: int) -> None:
        async def run_round() -> None:
            adapter, close = open_adapter()
            try:
                await async_round(adapter, samples, number)
            finally:
                await close()

        anyio.run(run_round, backend=backend)

    return run


def sync_subject(open_adapter: Callable[[], Opened]) -> Round:
    """A round runner for a blocking client, opened anew each round."""

    def run(samples: Samples, number: int) -> None:
        adapter, close = open_adapter()
        try:
            sync_round(adapter, samples, number)
        finally:
            close()

    return run


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

    runs: dict[str, Round] = {}
    for transport in ("native", "httpx"):
        runs[f"consul-sansio {transport}, asyncio"] = async_subject(
            "asyncio", ours(AsyncioConsul, transport)
        )
        runs[f"consul-sansio {transport}, trio"] = async_subject(
            "trio", ours(TrioConsul, transport)
        )
        runs[f"consul-sansio {transport}, sync"] = sync_subject(ours(SyncConsul, transport))
    runs["raw httpx AsyncClient, asyncio"] = async_subject("asyncio", raw_httpx_async)
    runs["raw httpx Client, sync"] = sync_subject(raw_httpx_sync)
    runs["raw aiohttp, asyncio"] = async_subject("asyncio", raw_aiohttp)
    runs["py-consul aio, asyncio"] = async_subject("asyncio", py_consul_aio)
    runs["py-consul, sync"] = sync_subject(py_consul_sync)
    return runs


def run_all(runs: dict[str, Round], rounds: int) -> dict[str, Samples]:
    """The rounds, interleaved (each round measures every client once), so that a change in
    the machine's load touches every client alike.
    """
    samples = {name: Samples() for name in runs}
    for number in range(rounds):
        for name, run in runs.items():
            run(samples[name], number)
    return samples


def fill_tree(address: str) -> None:
    """Write the 10,000 keys of the tree workload (in transactions) and the other keys."""
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
        size = len(client.get(f"/v1/kv/{PREFIX}", params={"recurse": ""}).content)
    print(f"tree: {TREE_SIZE} keys, {size / 1e6:.2f} MB of JSON per read\n")


# --- the report ------------------------------------------------------------------------------

WORKLOADS = ("get", "get x16", "put", "tree")


def _baselines(row: str) -> tuple[str, str]:
    if row.endswith("sync"):
        return "raw httpx Client, sync", "py-consul, sync"
    return "raw httpx AsyncClient, asyncio", "py-consul aio, asyncio"


def print_tables(results: dict[str, Samples]) -> None:
    """One markdown table per workload: rate, ratios against raw httpx and py-consul, CPU."""
    for workload in WORKLOADS:
        print(f"### {workload} (calls/s; ratio = this rate / the baseline's)\n")
        print("| client | calls/s | vs raw httpx | vs py-consul | client CPU µs/call |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for row, samples in results.items():
            figure = samples.figure(workload)
            ratios = [
                f"{figure.rate / results[baseline].figure(workload).rate:.2f}x"
                for baseline in _baselines(row)
            ]
            print(
                f"| {row} | {figure.rate:,.1f} | {ratios[0]} | {ratios[1]} | {figure.cpu_us:,.0f} |"
            )
        print()
    print("### wake-up latency of a blocking GET after a write (ms; ratio < 1 is faster)\n")
    print("| client | ms | vs raw httpx | vs py-consul |")
    print("| --- | ---: | ---: | ---: |")
    for row, samples in results.items():
        ratios = [f"{samples.wakeup / results[b].wakeup:.2f}x" for b in _baselines(row)]
        print(f"| {row} | {samples.wakeup * 1e3:.2f} | {ratios[0]} | {ratios[1]} |")
    print()


def print_targets(results: dict[str, Samples]) -> None:
    """The targets of the native transport, each met or missed."""
    asyncio_row, trio_row = "consul-sansio native, asyncio", "consul-sansio native, trio"
    sync_row = "consul-sansio native, sync"
    py_aio, py_sync = "py-consul aio, asyncio", "py-consul, sync"

    def ratio(row: str, baseline: str, workload: str) -> float:
        return results[row].figure(workload).rate / results[baseline].figure(workload).rate

    checks: list[tuple[str, float, float, bool]] = [
        ("asyncio get x16 / py-consul aio", ratio(asyncio_row, py_aio, "get x16"), 1.3, True),
        ("asyncio get / py-consul aio", ratio(asyncio_row, py_aio, "get"), 1.2, True),
        ("sync get / py-consul sync", ratio(sync_row, py_sync, "get"), 2.0, True),
        ("trio get / asyncio get", ratio(trio_row, asyncio_row, "get"), 1.0, True),
        ("trio get x16 / asyncio get x16", ratio(trio_row, asyncio_row, "get x16"), 1.0, True),
        ("tree, asyncio / py-consul aio", ratio(asyncio_row, py_aio, "tree"), 1.0, True),
        ("tree, sync / py-consul sync", ratio(sync_row, py_sync, "tree"), 1.0, True),
    ]
    for row in (asyncio_row, trio_row):
        for workload in ("get", "get x16", "put"):
            cpu = results[row].figure(workload).cpu_us
            checks.append((f"{row}: {workload} CPU µs/call", cpu, 80.0, False))
    for workload in ("get", "put"):
        cpu = results[sync_row].figure(workload).cpu_us
        checks.append((f"{sync_row}: {workload} CPU µs/call", cpu, 60.0, False))
    for row, baseline in ((asyncio_row, py_aio), (trio_row, py_aio), (sync_row, py_sync)):
        ours, theirs = results[row].wakeup * 1e3, results[baseline].wakeup * 1e3
        checks.append((f"{row}: wake-up ms (bound: {baseline})", ours, theirs, False))
    print("### targets\n")
    print("| target | measured | bound | met |")
    print("| --- | ---: | ---: | :---: |")
    for name, measured, bound, at_least in checks:
        met = measured >= bound if at_least else measured <= bound
        sign = ">=" if at_least else "<="
        print(f"| {name} | {measured:.2f} | {sign} {bound:.2f} | {'yes' if met else 'NO'} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per figure (median)")
    rounds = parser.parse_args().rounds
    names = ("httpx", "httptools", "anyio", "trio", "aiohttp", "py-consul")
    versions = ", ".join(f"{name} {version(name)}" for name in names)
    print(f"Python {platform.python_version()}; {versions}; {os.cpu_count()} CPUs\n")
    started = time.perf_counter()
    with ConsulAgent(log_level="warn") as agent:
        fill_tree(agent.address)
        runs = subjects(agent.address, "127.0.0.1", agent.http_port)
        results = run_all(runs, rounds)
    print_tables(results)
    print_targets(results)
    print(f"(whole run: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
