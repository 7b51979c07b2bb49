"""Golden requests and recorded responses for snapshots (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import Response, ServerError, UsageError
from consul_core.endpoints import snapshot

# The head of a snapshot recorded from Consul 1.8.7 (a gzip archive) and its headers.
ARCHIVE = bytes.fromhex("1f8b08000000000000ff")
HEADERS = {
    "Content-Type": "application/x-gzip",
    "X-Consul-Index": "35",
    "X-Consul-KnownLeader": "true",
}
UNREADABLE = b"failed to decompress snapshot: unexpected EOF"


def test_save() -> None:
    call = snapshot.save()
    assert (call.request.method, call.request.target, call.request.body) == (
        "GET",
        "/v1/snapshot",
        None,
    )
    data, meta = call.parse(Response(200, HEADERS, ARCHIVE))
    assert data == ARCHIVE
    assert (meta.index, meta.known_leader) == (35, True)
    stale = snapshot.save(dc="dc2", stale=True)
    assert stale.request.target == "/v1/snapshot?dc=dc2&stale"


def test_restore_sends_the_archive_as_is() -> None:
    call = snapshot.restore(bytearray(ARCHIVE), dc="dc1")
    assert (call.request.method, call.request.target) == ("PUT", "/v1/snapshot?dc=dc1")
    assert call.request.body == ARCHIVE
    assert call.parse(Response(200, {}, b"")) is True
    with pytest.raises(ServerError, match="failed to decompress"):
        call.parse(Response(500, {}, UNREADABLE))


@pytest.mark.parametrize(
    "make",
    [
        lambda: snapshot.restore("1f8b"),
        lambda: snapshot.restore(b""),
        lambda: snapshot.restore(b"PK\x03\x04 not gzip"),
        lambda: snapshot.save(stale=1),
        lambda: snapshot.save(dc=""),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
