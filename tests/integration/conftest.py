"""Integration fixtures: clients of every flavor on the session's real Consul agent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from consul_transports.testing import ConsulAgent
from tests.conftest import make_client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path) or "tests\\integration" in str(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
async def client(flavor: str, anyio_backend: str, consul_agent: ConsulAgent) -> AsyncIterator[Any]:
    """A client with the master token, of the test's flavor."""
    async with make_client(flavor, consul_agent.address, token=consul_agent.master_token) as c:
        yield c


@pytest.fixture
def new_client(flavor: str, anyio_backend: str, consul_agent: ConsulAgent) -> Any:
    """Make more clients of the test's flavor (``async with new_client(token=...) as c``)."""

    def make(**options: Any) -> Any:
        options.setdefault("address", consul_agent.address)
        return make_client(flavor, **options)

    return make
