"""The JSON codec's timestamps and durations (no I/O)."""

from __future__ import annotations

import copy
import pickle
from datetime import datetime, timedelta, timezone

import msgspec
import pytest
from msgspec.structs import replace

import consul_core.models
from consul_core import UsageError
from consul_core._codec import (
    DecodeError,
    Model,
    NanoDuration,
    Timestamp,
    field,
    format_time,
    from_json,
    is_model,
    known_keys,
    parse_time,
    to_json,
)

UTC = timezone.utc


class Stamped(Model, frozen=True):
    at: Timestamp
    maybe: Timestamp | None = None
    ttl: NanoDuration | None = None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Go's RFC 3339 with nanoseconds: Python keeps (truncates to) microseconds.
        ("2020-11-27T13:06:18.123456789Z", datetime(2020, 11, 27, 13, 6, 18, 123456, UTC)),
        ("2020-11-27T13:06:18.5Z", datetime(2020, 11, 27, 13, 6, 18, 500000, UTC)),
        ("2020-11-27T13:06:18Z", datetime(2020, 11, 27, 13, 6, 18, tzinfo=UTC)),
        (
            "2026-01-02T03:04:05+01:00",
            datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2026-01-02T03:04:05.000000001-05:30", datetime(2026, 1, 2, 8, 34, 5, tzinfo=UTC)),
        ("0001-01-01T00:00:00Z", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_time(text: str | None, expected: datetime | None) -> None:
    parsed = parse_time(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["yesterday", "2020-11-27 13:06:18Z", "2020-11-27T13:06:18"])
def test_parse_time_refuses_what_is_not_rfc_3339(text: str) -> None:
    with pytest.raises(ValueError, match="RFC 3339"):
        parse_time(text)
    with pytest.raises(DecodeError, match=r"Stamped\.At"):
        from_json(Stamped, {"At": text})


def test_model_timestamps_decode_and_encode() -> None:
    stamped = from_json(
        Stamped, {"At": "2020-11-27T13:06:18.123456789Z", "Maybe": "0001-01-01T00:00:00Z"}
    )
    assert stamped == Stamped(datetime(2020, 11, 27, 13, 6, 18, 123456, UTC))
    # A required timestamp keeps Go's zero time; an optional one reads it as "not set".
    zero = from_json(Stamped, {"At": "0001-01-01T00:00:00Z", "Maybe": ""})
    assert zero.at == datetime(1, 1, 1, tzinfo=UTC) and zero.maybe is None
    # A decoded timestamp encodes back to Go's text, nanoseconds included.
    assert to_json(stamped) == {"At": "2020-11-27T13:06:18.123456789Z"}
    later = replace(stamped, maybe=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert to_json(later)["Maybe"] == "2026-01-02T03:04:05+00:00"
    assert from_json(Stamped, to_json(later)) == later
    with pytest.raises(DecodeError, match=r"Stamped\.At"):
        from_json(Stamped, {"At": 1606482378})


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(UsageError, match="timezone-aware"):
        to_json(Stamped(datetime(2026, 1, 2)))
    with pytest.raises(UsageError, match="when"):
        format_time(datetime(2026, 1, 2), "when")
    assert format_time(datetime(2026, 1, 2, tzinfo=UTC), "when") == "2026-01-02T00:00:00+00:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3_600_000_000_000, timedelta(hours=1)),
        (1_500, timedelta(microseconds=1.5)),
        ("1h0m0s", timedelta(hours=1)),
        # 0 is a duration: Go's pointer fields (*time.Duration) send it for one set to 0, and
        # leave an unset one out (or send "" where the duration is text).
        (0, timedelta(0)),
        ("", None),
    ],
)
def test_optional_nanosecond_durations(value: object, expected: timedelta | None) -> None:
    at = "2020-11-27T13:06:18Z"
    assert from_json(Stamped, {"At": at, "TTL": value}).ttl == expected


class Leaf(Model, frozen=True):
    name: str = ""


class Tree(Model, frozen=True):
    leaf: Leaf = field(factory=Leaf)
    leaves: list[Leaf] = field(factory=list)
    by_name: dict[str, Leaf] = field(factory=dict)
    weight: int = 1  # not Go's zero value: always sent


def test_unknown_fields_are_kept_at_every_depth_and_sent_back() -> None:
    data = {
        "Leaf": {"Name": "a", "Color": "red"},
        "Leaves": [{"Name": "b", "Tags": {"x": [1, None]}}, {"Name": "c"}],
        "ByName": {"d": {"Name": "d", "Age": 3}},
        "Weight": 1,
        "Partition": "p1",
    }
    tree = from_json(Tree, data)
    assert tree.unknown_fields == {"Partition": "p1"}
    assert tree.leaf.unknown_fields == {"Color": "red"}
    assert tree.leaves[0].unknown_fields == {"Tags": {"x": [1, None]}}
    assert tree.leaves[1].unknown_fields == {}
    assert tree.by_name["d"].unknown_fields == {"Age": 3}
    assert to_json(tree) == data
    assert to_json(replace(tree, weight=2))["Partition"] == "p1"


def test_an_unknown_field_never_overrides_a_known_one() -> None:
    leaf = Leaf(unknown_fields={"Name": "sneaky", "Extra": True})
    assert to_json(leaf) == {"Extra": True}
    assert to_json(Leaf("n", unknown_fields={"Name": "sneaky"})) == {"Name": "n"}


def test_plain_structs_are_refused_by_the_codec() -> None:
    class Plain(msgspec.Struct, frozen=True):
        name: str = ""

    with pytest.raises(TypeError, match="must derive from Model"):
        from_json(Plain, {"Name": "x"})


def test_a_decoded_timestamp_is_a_datetime_that_encodes_back_to_go_s_text() -> None:
    text = "2026-01-02T03:04:05.123456789-05:30"
    when = parse_time(text)
    assert isinstance(when, datetime)
    assert when == datetime(2026, 1, 2, 3, 4, 5, 123456, timezone(timedelta(hours=-5, minutes=-30)))
    assert format_time(when, "when") == text
    for kept in (copy.copy(when), copy.deepcopy(when), pickle.loads(pickle.dumps(when))):
        assert format_time(kept, "when") == text
    # A datetime derived from it is a new instant: it has no Go text to keep.
    later = when + timedelta(seconds=1)
    assert format_time(later, "when") == "2026-01-02T03:04:06.123456-05:30"
    assert format_time(when.replace(microsecond=0), "when") == "2026-01-02T03:04:05-05:30"


@pytest.mark.parametrize(
    ("wire", "value"),
    [
        (1_500, timedelta(microseconds=2)),  # Go's nanoseconds: a timedelta rounds them
        (315_360_000_000_000_001, timedelta(days=3650)),
        ("999ns", timedelta(microseconds=1)),
        ("1m30s", timedelta(seconds=90)),  # text Consul may store as sent
        (0, timedelta(0)),
    ],
)
def test_a_decoded_duration_encodes_back_to_what_go_sent(wire: object, value: timedelta) -> None:
    stamped = from_json(Stamped, {"At": "2020-11-27T13:06:18Z", "TTL": wire})
    assert stamped.ttl == value
    for kept in (stamped, pickle.loads(pickle.dumps(stamped)), copy.deepcopy(stamped)):
        assert to_json(kept)["TTL"] == wire
    # A duration derived from it is a new one: it has no Go form to keep.
    assert stamped.ttl is not None
    later = replace(stamped, ttl=stamped.ttl + timedelta(seconds=1))
    assert (
        to_json(later)["TTL"] == (value + timedelta(seconds=1)) // timedelta(microseconds=1) * 1000
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], r"^Tree: expected an object, got an array$"),
        ({"Leaf": "x"}, r"^Tree\.Leaf: expected an object, got a string$"),
        ({"Leaves": "ab"}, r"^Tree\.Leaves: expected an array, got a string$"),
        ({"Leaves": {}}, r"^Tree\.Leaves: expected an array, got an object$"),
        (
            {"Leaves": [{}, {"Name": 5}]},
            r"^Tree\.Leaves\[1\]\.Name: expected a string, got a number$",
        ),
        ({"ByName": {"secret-key": {"Name": []}}}, r"^Tree\.ByName\[\*\]\.Name: .* got an array$"),
        ({"Weight": True}, r"^Tree\.Weight: expected an integer, got a boolean$"),
        ({"Weight": 1.5}, r"^Tree\.Weight: expected an integer, got a number$"),
    ],
)
def test_wrong_json_types_name_the_field_and_the_types_only(data: object, message: str) -> None:
    with pytest.raises(DecodeError, match=message) as raised:
        from_json(Tree, data)
    assert "secret-key" not in str(raised.value)


@pytest.mark.parametrize("value", [1e300, -1e300, "9" * 400 + "h", float("nan"), [], "soon"])
def test_durations_out_of_range_or_malformed_are_decode_errors(value: object) -> None:
    with pytest.raises(DecodeError, match=r"Stamped\.TTL: expected a duration"):
        from_json(Stamped, {"At": "2020-11-27T13:06:18Z", "TTL": value})


def test_every_model_has_a_plan_and_a_plain_datetime_or_timedelta_is_refused() -> None:
    for name in consul_core.models.__all__:
        cls = getattr(consul_core.models, name)
        if is_model(cls):
            assert known_keys(cls)  # its plan compiles: each field has a decoder and an encoder

    class Naive(Model, frozen=True):  # msgspec would read these its own way: not Go's texts
        at: datetime

    with pytest.raises(TypeError, match="as Timestamp, Duration or NanoDuration"):
        known_keys(Naive)


def test_decoded_models_survive_pickle_and_copy() -> None:
    data = {"At": "2020-11-27T13:06:18.123456789Z", "TTL": 1_500_000, "Partition": "p"}
    stamped = from_json(Stamped, data)
    for kept in (pickle.loads(pickle.dumps(stamped)), copy.copy(stamped), copy.deepcopy(stamped)):
        assert kept == stamped
        assert to_json(kept) == data
