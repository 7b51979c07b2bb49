"""Ctrl-C in the middle of a call, under asyncio, trio and sync: wherever it lands, the client's
pool is left as it was (its lock free, every slot and share given back) and the interrupt comes
out as itself, so that a program that catches it (a notebook, a REPL) goes on with the client.

Python raises a `KeyboardInterrupt` between two steps of code, at the points where it checks
for signals: a function's start, right after a call returns, a backward jump. On the sync
client the test raises one at each such point of a call in turn, from a trace function. On
the async clients a call is cancelled after each number of event loop steps instead: asyncio
cancels the main task on Ctrl-C, and trio raises `KeyboardInterrupt` in the middle of code
only where it may corrupt trio's own state (its cancel scopes) as well, which no client
survives; cancellation is what both deliver at a call's awaits.
"""

from __future__ import annotations

import dis
import gc
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import anyio
import pytest

from consul_transports import PoolLimits
from consul_transports.testing import ConsulAgent
from tests.conftest import make_client

# The call instructions of each Python (3.10 has four kinds, 3.13 a keyword call of its own):
# a call's return is a point where an interrupt can land.
_CALL_NAMES = (
    "CALL",
    "CALL_KW",
    "CALL_FUNCTION",
    "CALL_FUNCTION_KW",
    "CALL_FUNCTION_EX",
    "CALL_METHOD",
)
_CALLS = frozenset(op for name, op in dis.opmap.items() if name in _CALL_NAMES)
_OURS = ("/consul_core/", "/consul_transports/")
# Where a call may be left with a slot it took, the interrupt landing at the boundary of two
# functions, before the caller's `finally` can know (right after the pool hands the slot
# over; at the start of giving it back): two points of a call, left as they are.
_BOUNDARIES = frozenset({("send", "after a call"), ("_checkin", "start"), ("give", "start")})
LIMITS = PoolLimits(max_connections=4, reserved=0)
# A socket being made when the interrupt lands (before anything holds it) is left to the
# garbage collector, which closes it with a ResourceWarning.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


class Interrupter:
    """A trace function that raises `KeyboardInterrupt` at the `target`-th point of the
    library's code where Python could deliver one.
    """

    def __init__(self, target: int) -> None:
        self.target, self.seen = target, 0
        self.landed: tuple[str, str] | None = None
        self._last: dict[int, int] = {}

    def _point(self, frame: FrameType, what: str) -> None:
        if self.landed is not None:
            return
        if self.seen == self.target:
            self.landed = (frame.f_code.co_name, what)
            sys.settrace(None)
            raise KeyboardInterrupt
        self.seen += 1

    def trace(self, frame: FrameType, event: str, arg: object) -> Any:
        if not any(part in frame.f_code.co_filename for part in _OURS):
            return self.trace if event == "call" else None
        if event == "call":
            frame.f_trace_opcodes = True
            self._point(frame, "start")
        elif event == "opcode":
            if self._last.get(id(frame)) in _CALLS:
                self._point(frame, "after a call")
            self._last[id(frame)] = frame.f_code.co_code[frame.f_lasti]
        return self.trace


def pool_state(client: Any) -> tuple[bool, int, int]:
    """Whether the pool's lock is held (sync), and the slots and shares taken."""
    transport = client.transport
    slots, shares = transport._slots, transport._gate._shares
    if hasattr(slots, "free"):  # the sync pool's counts
        taken = LIMITS.max_connections - slots.free
        return transport._lock.locked(), taken, LIMITS.blocking_slots - shares.free
    return False, slots.taken, shares.taken


def interrupted_everywhere(run: Callable[[Interrupter], bool], client: Any) -> list[str]:
    """Interrupt a call at each point in turn (`run` makes it, returning whether the interrupt
    landed); return what went wrong.
    """
    wrong: list[str] = []
    for target in range(2000):
        interrupter = Interrupter(target)
        if not run(interrupter):
            assert target > 50, "no point found: the trace function saw nothing"
            return wrong
        state = pool_state(client)
        if state != (False, 0, 0) and interrupter.landed not in _BOUNDARIES:
            wrong.append(f"at {interrupter.landed}: lock held, slots, shares {state}")
        if state != (False, 0, 0):  # set right again for the next point
            transport = client.transport
            if state[0]:
                transport._lock.release()
            transport._slots.free = LIMITS.max_connections
    pytest.fail("the call never ended uninterrupted")


@pytest.mark.parametrize("flavor", ["sync"])
def test_a_sync_call_interrupted_anywhere_leaves_the_pool_as_it_was(
    flavor: str, consul_agent: ConsulAgent, unique: str
) -> None:
    from consul_transports.sync import Consul

    with Consul(consul_agent.address, token=consul_agent.master_token, limits=LIMITS) as client:
        client.kv.set(f"{unique}/k", b"v")
        client.kv.get(f"{unique}/k")  # a connection kept alive, to reuse

        def run(interrupter: Interrupter) -> bool:
            sys.settrace(interrupter.trace)
            try:
                client.kv.get(f"{unique}/k")
            except KeyboardInterrupt:
                assert interrupter.landed is not None
            finally:
                sys.settrace(None)
            return interrupter.landed is not None

        assert interrupted_everywhere(run, client) == []
        entry, _ = client.kv.get(f"{unique}/k")
        assert entry.value == b"v"
    gc.collect()  # the sockets left to the collector: closed here, not in another test


@pytest.mark.parametrize("flavor", ["asyncio", "trio"])
async def test_an_async_call_cancelled_at_any_step_leaves_the_pool_as_it_was(
    flavor: str, anyio_backend: str, consul_agent: ConsulAgent, unique: str
) -> None:
    async with make_client(
        flavor, consul_agent.address, token=consul_agent.master_token, limits=LIMITS
    ) as client:
        await client.kv.set(f"{unique}/k", b"v")
        for steps in range(40):  # cancelled after `steps` steps of the event loop
            with anyio.CancelScope() as scope:

                async def cancel_after(steps: int = steps) -> None:
                    for _ in range(steps):
                        await anyio.sleep(0)
                    scope.cancel()

                async with anyio.create_task_group() as tasks:
                    tasks.start_soon(cancel_after)
                    await client.kv.get(f"{unique}/k")
            assert pool_state(client) == (False, 0, 0), f"cancelled after {steps} steps"
        entry, _ = await client.kv.get(f"{unique}/k")
        assert entry.value == b"v"
