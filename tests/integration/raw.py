"""A call's request sent as it is, through a client of the test's flavor, for the tests that
look at what the agent answers rather than at what a method makes of it.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

import anyio.to_thread
import attrs

from consul_core import Response
from consul_core.call import Call

ANY_STATUS = frozenset(range(100, 600))
T = TypeVar("T")


def with_params(call: Call[T], *params: tuple[str, str]) -> Call[T]:
    """`call` with query parameters added after its own (ones no method sends)."""
    request = attrs.evolve(call.request, params=(*call.request.params, *params))
    return attrs.evolve(call, request=request)


async def send(client: Any, flavor: str, call: Call[Any]) -> Response:
    """The agent's response to `call`'s request, whatever its status (the sync client's in a
    worker thread).
    """
    raw = attrs.evolve(call, decode=lambda response: response, expect=ANY_STATUS)
    if flavor == "sync":
        execute = functools.partial(client.driver.execute, raw)
        response: Response = await anyio.to_thread.run_sync(execute)
        return response
    response = await client.driver.execute(raw)
    return response
