"""Session keepalive and the service heartbeat on the real agent, under asyncio, trio and sync:
create or adopt, loss, cleanup.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import anyio
import pytest

from consul_core import LockLost, NotFound
from consul_core.models.health import HealthCheck
from consul_transports.testing import ConsulAgent, FaultProxy
from tests.conftest import make_client
from tests.hooks import recording
from tests.integration.leftovers import running, session_ids
from tests.integration.waiting import body_until_lost


async def test_a_keepalive_creates_a_session_and_destroys_it_at_the_end(
    client: Any, unique: str
) -> None:
    before = running()
    async with client.session.keepalive({"Name": unique, "Behavior": "delete"}, ttl="10s") as ka:
        info, _ = await client.session.info(ka.session)
        assert (info.name, info.ttl, info.behavior) == (unique, timedelta(seconds=10), "delete")
        assert ka.created and not ka.lost
    assert ka.session not in await session_ids(client)
    assert running() == before


async def test_a_keepalive_adopts_an_existing_session_and_leaves_it(
    client: Any, unique: str
) -> None:
    sid = await client.session.create(name=unique, ttl="20s")
    async with client.session.keepalive(sid) as ka:
        assert (ka.session, ka.created, ka.ttl) == (sid, False, 20.0)
    info, _ = await client.session.info(sid)
    assert info.id == sid
    await client.session.destroy(sid)


async def test_a_keepalive_of_a_missing_session_fails(client: Any) -> None:
    with pytest.raises(NotFound):
        async with client.session.keepalive("00000000-0000-0000-0000-000000000000"):
            pytest.fail("a missing session was kept alive")


async def test_a_destroyed_session_is_lost_within_a_second(client: Any, flavor: str) -> None:
    reached_end = False
    with pytest.raises(LockLost, match="the session was invalidated"):
        async with client.session.keepalive(ttl="10s") as ka:
            destroyed = time.monotonic()
            await client.session.destroy(ka.session)
            await body_until_lost(ka, flavor)
            reached_end = True  # the sync client cannot interrupt its body; the others can
    print(f"\nkeepalive loss detected after {(time.monotonic() - destroyed) * 1000:.1f} ms")
    assert time.monotonic() - destroyed < 1.0
    assert reached_end is (flavor == "sync")


async def wait_for_status(client: Any, check_id: str, status: str) -> float:
    started = time.monotonic()
    with anyio.fail_after(5):
        while (await client.checks.items()).get(check_id, HealthCheck()).status != status:
            await anyio.sleep(0.05)
    return time.monotonic() - started


async def test_a_heartbeat_registers_again_on_an_agent_without_acls(
    flavor: str, anyio_backend: str, restartable_agent: ConsulAgent, unique: str
) -> None:
    # Without ACLs, Consul 1.8.7 answers a TTL update of an unknown check with a 500 saying it
    # "does not have associated TTL" (with them, "Unknown check"): both mean the check is gone.
    service = {"ID": unique, "Name": "heartbeat-test", "Port": 8080}
    async with (
        make_client(flavor, restartable_agent.address) as client,
        client.services.heartbeat(service, ttl="2s") as beat,
    ):
        await client.services.deregister(unique)  # the agent forgets it
        assert await wait_for_status(client, beat.check_id, "passing") < 1.5
        assert not beat.lost


async def test_a_heartbeat_keeps_a_ttl_check_passing_and_deregisters_at_the_end(
    client: Any, flavor: str, unique: str
) -> None:
    service = {"ID": unique, "Name": "heartbeat-test", "Port": 8080}
    # deregister_after: the agent takes it (it reaps after a minute at least: not waited here).
    heartbeat = client.services.heartbeat(service, ttl="2s", note="alive", deregister_after="1m")
    async with heartbeat as beat:
        assert beat.check_id == f"service:{unique}:heartbeat"
        assert unique in await client.services.items()
        checks = await client.checks.items()
        assert (checks[beat.check_id].status, checks[beat.check_id].service_id) == (
            "passing",
            unique,
        )
        await client.checks.critical(beat.check_id, "failing on purpose")
        assert await wait_for_status(client, beat.check_id, "passing") < 1.5
        await client.services.deregister(unique)  # the agent forgets it: registered again
        assert await wait_for_status(client, beat.check_id, "passing") < 1.5
        assert not beat.lost
    assert unique not in await client.services.items()


def outcomes(events: list[tuple[Any, ...]], path: str, since: int) -> list[tuple[str, float]]:
    """What became of the calls to `path` recorded after the first `since` events: ``"ok"`` or
    the error's type, each with the call's read timeout.
    """
    return [
        ("ok" if event[0] == "response" else type(event[2]).__name__, event[1].timeout)
        for event in events[since:]
        if event[0] in ("response", "error") and event[1].path == path
    ]


async def until_made_again(events: list[tuple[Any, ...]], path: str, since: int) -> float:
    """Wait for a call to `path` that timed out, then one that succeeded; return the first's
    read timeout.
    """
    with anyio.fail_after(30):  # the client's own timeout is 60s
        while True:
            seen = outcomes(events, path, since)
            if [kind for kind, _ in seen[:2]] == ["Timeout", "ok"]:
                return seen[0][1]
            assert all(kind in ("Timeout", "ok") for kind, _ in seen), seen
            await anyio.sleep(0.05)


async def test_calls_sent_on_connections_that_died_without_a_word_are_made_again_in_time(
    flavor: str, anyio_backend: str, consul_agent: ConsulAgent, unique: str
) -> None:
    # A NAT that forgot the connections: a beat, a renewal and a deregistration sent on one
    # wait for an answer that never comes. Each is given a part of the time it has (a quarter
    # of the TTL; a third of the cleanup time), then made again on a new connection: the check and
    # the session live on, and leaving deregisters the service, all long before the client's
    # own timeout would have ended the first try.
    service = {"ID": unique, "Name": "heartbeat-test", "Port": 8080}
    beat_path = f"/v1/agent/check/pass/service%3A{unique}%3Aheartbeat"
    beats: list[tuple[Any, ...]] = []
    renewals: list[tuple[Any, ...]] = []
    options = {"token": consul_agent.master_token, "timeout": 60}
    with FaultProxy(consul_agent.http_port) as proxy:
        async with (
            make_client(flavor, consul_agent.address, **options) as admin,
            # One client each, so that each has a connection of its own to lose.
            make_client(
                flavor, proxy.address, event_hooks=recording(flavor, beats), **options
            ) as beating,
            make_client(
                flavor, proxy.address, event_hooks=recording(flavor, renewals), **options
            ) as renewing,
        ):
            async with beating.services.heartbeat(service, ttl="4s") as beat:
                async with renewing.session.keepalive(ttl="10s") as keepalive:
                    # The first renewal, after TTL/2, leaves its connection idle for the next
                    # (the monitor's blocking read holds the one the session was made on).
                    renew_path = f"/v1/session/renew/{keepalive.session}"
                    with anyio.fail_after(30):
                        while not outcomes(renewals, renew_path, 0):
                            await anyio.sleep(0.05)
                    since = len(beats), len(renewals)
                    proxy.blackhole()
                    assert await until_made_again(beats, beat_path, since[0]) == 1.0
                    assert await until_made_again(renewals, renew_path, since[1]) == 2.5
                    assert await wait_for_status(admin, beat.check_id, "passing") < 5
                    assert not keepalive.lost and not beat.lost
                assert keepalive.session not in await session_ids(admin)
                since = len(beats), len(renewals)
                proxy.blackhole()  # then leaving deregisters the service
            deregister = f"/v1/agent/service/deregister/{unique}"
            tries = outcomes(beats, deregister, since[0])
            assert [kind for kind, _ in tries] == ["Timeout", "ok"] and tries[0][1] == 5.0
            assert unique not in await admin.services.items()
