"""Argument validation, QueryMeta parsing, the blocking-query rules and client defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consul_core import (
    BlockingState,
    ClientDefaults,
    Headers,
    KeyValue,
    QueryMeta,
    Request,
    UsageError,
)
from consul_core._params import format_duration, parse_duration, to_id, to_index
from consul_core.blocking import DEFAULT_WAIT, read_timeout
from consul_core.endpoints import kv


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("15s", 15.0),
        ("1m30s", 90.0),
        ("1h", 3600.0),
        ("250ms", 0.25),
        ("1.5s", 1.5),
        ("0", 0.0),
        (timedelta(minutes=2), 120.0),
        (7, 7.0),
        (0.5, 0.5),
    ],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value, "ttl") == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["", "15", "s", "1x", "-1s", True, None, -3, [1]])
def test_bad_durations(value: object) -> None:
    with pytest.raises(UsageError, match="ttl"):
        parse_duration(value, "ttl")


def test_format_duration() -> None:
    assert [format_duration(s) for s in (30, 1.5, 0.25)] == ["30s", "1500ms", "250ms"]


def test_index_and_id_coercion() -> None:
    assert to_index(QueryMeta(index=9)) == 9
    assert to_index(KeyValue("k", modify_index=4)) == 4
    assert to_index(3) == 3
    for bad in (-1, "3", True, None):
        with pytest.raises(UsageError):
            to_index(bad)
    assert to_id({"ID": "abc"}, "session") == "abc"
    assert to_id("abc", "session") == "abc"
    with pytest.raises(UsageError):
        to_id({"Name": "x"}, "session")


def test_query_meta_from_headers() -> None:
    meta = QueryMeta.from_headers(
        {
            "X-Consul-Index": "42",
            "X-Consul-KnownLeader": "true",
            "X-Consul-LastContact": "250",
            "X-Consul-Effective-Consistency": "leader",
            "X-Cache": "HIT",
            "Age": "3",
        }
    )
    assert meta.index == 42 and meta.known_leader
    assert meta.last_contact == timedelta(milliseconds=250)
    assert meta.effective_consistency == "leader"
    assert meta.cache_hit is True and meta.cache_age == timedelta(seconds=3)
    assert QueryMeta.from_headers({}) == QueryMeta()
    assert QueryMeta.from_headers({"X-Consul-Index": "garbage"}).index == 0


# The metadata's headers in the cases a server or a proxy may write them, with values that
# parse and values that do not.
META_NAMES = [
    spelling
    for name in (b"X-Consul-Index", b"X-Consul-KnownLeader", b"X-Consul-LastContact", b"X-Cache")
    for spelling in (name, name.title(), name.lower(), name.upper())
] + [b"Age", b"X-Consul-Effective-Consistency", b"X-Consul-Contenthash", b"Date"]
META_VALUES = st.sampled_from([b"0", b"7", b"true", b"HIT", b"miss", b"-1", b"1e3", b"\xe9", b""])


@given(st.dictionaries(st.sampled_from(META_NAMES), META_VALUES))
def test_query_meta_from_a_replys_raw_fields_is_that_of_its_decoded_headers(
    fields: dict[bytes, bytes],
) -> None:
    decoded = {name.decode("latin-1"): value.decode("latin-1") for name, value in fields.items()}
    assert QueryMeta.from_headers(Headers.from_fields(fields)) == QueryMeta.from_headers(
        Headers(decoded)
    )


def test_read_timeout_exceeds_wait_plus_jitter() -> None:
    assert read_timeout(16) > 16 + 1
    assert read_timeout(3600) == read_timeout(600)


@pytest.mark.parametrize("wait", [0, "0s", timedelta(0), 1e-10])
def test_a_wait_of_zero_is_consuls_default_and_so_is_its_timeout(wait: object) -> None:
    # Consul reads a wait of 0 as none given, 5 minutes: a read timeout made for 0 (5 s) ended
    # every such read with a Timeout while the agent still held it.
    request = kv.get("k", watch=(7, wait)).request
    assert dict(request.params)["wait"] == format_duration(DEFAULT_WAIT)
    assert request.timeout == read_timeout(DEFAULT_WAIT) == kv.get("k", watch=7).request.timeout


def test_blocking_state_rules() -> None:
    state = BlockingState()
    state, news = state.advance(10)
    assert (state.index, news) == (10, True)
    state, news = state.advance(10)
    assert news is False
    state, news = state.advance(12)
    assert (state.index, news) == (12, True)
    # The index went backwards (a restore, a new leader): reset and read without blocking.
    state, news = state.advance(5)
    assert (state.index, news) == (0, True)
    # The read after the reset returns the same index: not news again.
    state, news = state.advance(5)
    assert (state.index, news) == (5, False)
    # An index below 1 is treated as 1.
    state, _ = BlockingState().advance(0)
    assert state.index == 1


def test_unordered_indexes_only_count_changes() -> None:
    state, _ = BlockingState().advance(900)
    state, news = state.advance(300, ordered=False)
    assert (state.index, news) == (300, True)
    state, news = state.advance(300, ordered=False)
    assert news is False


def test_client_defaults_apply_only_where_accepted_and_not_overridden() -> None:
    defaults = ClientDefaults(token="t", dc="dc2", consistency="stale")
    read = Request("GET", "/v1/kv/a", defaults=frozenset({"dc", "consistency"}))
    applied = defaults.apply(read)
    assert applied.params == (("dc", "dc2"), ("stale", ""))
    assert applied.token == "t"
    explicit = Request(
        "GET",
        "/v1/kv/a",
        (("dc", "dc9"), ("consistent", "")),
        {"X-Consul-Token": "own"},
        defaults=frozenset({"dc", "consistency"}),
    )
    applied = defaults.apply(explicit)
    assert applied.params == (("dc", "dc9"), ("consistent", ""))
    assert applied.token == "own"
    agent_call = Request("GET", "/v1/agent/self")
    assert defaults.apply(agent_call).params == ()
    assert ClientDefaults().apply(agent_call) is agent_call
    with pytest.raises(UsageError):
        ClientDefaults(consistency="eventual")
