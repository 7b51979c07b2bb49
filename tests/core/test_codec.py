"""The JSON codec's timestamps and durations (no I/O)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from consul_core import UsageError
from consul_core._codec import field, format_time, from_json, parse_time, to_json

UTC = timezone.utc


@attrs.frozen
class Stamped:
    at: datetime
    maybe: datetime | None = None
    ttl: timedelta | None = field(default=None, nanoseconds=True)


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
    with pytest.raises(TypeError, match=r"Stamped\.At"):
        from_json(Stamped, {"At": text})


def test_model_timestamps_decode_and_encode() -> None:
    stamped = from_json(
        Stamped, {"At": "2020-11-27T13:06:18.123456789Z", "Maybe": "0001-01-01T00:00:00Z"}
    )
    assert stamped == Stamped(datetime(2020, 11, 27, 13, 6, 18, 123456, UTC))
    # A required timestamp keeps Go's zero time; an optional one reads it as "not set".
    zero = from_json(Stamped, {"At": "0001-01-01T00:00:00Z", "Maybe": ""})
    assert zero.at == datetime(1, 1, 1, tzinfo=UTC) and zero.maybe is None
    assert to_json(stamped) == {"At": "2020-11-27T13:06:18.123456+00:00"}
    later = attrs.evolve(stamped, maybe=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert to_json(later)["Maybe"] == "2026-01-02T03:04:05+00:00"
    assert from_json(Stamped, to_json(later)) == later
    with pytest.raises(TypeError, match=r"Stamped\.At"):
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
        # Go's zero duration, omitted by `omitempty` or sent as 0 or "": not set.
        (0, None),
        ("", None),
    ],
)
def test_optional_nanosecond_durations(value: object, expected: timedelta | None) -> None:
    at = "2020-11-27T13:06:18Z"
    assert from_json(Stamped, {"At": at, "TTL": value}).ttl == expected
