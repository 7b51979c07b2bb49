"""Go's values on the wire, as models hold them: RFC 3339 timestamps that keep Go's text, and
durations sent as text (``"1m30s"``) or as integer nanoseconds; with Go's zero values, which an
optional field reads as None.

Rules:
- Python keeps microseconds, Go sends nanoseconds: a decoded timestamp remembers Go's text and
  encodes back to exactly it.
- In an optional timestamp, Go's zero time and ``""`` read as None; in an optional duration,
  ``""`` does (and ``0`` where Go counts nanoseconds). In a required field they read as Go's
  zero (``0001-01-01``, no time), and ``""`` is no duration.
- msgspec's hook (`wire_time`) cannot tell an optional field from a required one: it reads a
  zero value as an unset marker of the field's class, which the model settles by its field
  (`settled`, called by the model's ``__post_init__``: `consul_core._go_zero`).
"""

from __future__ import annotations

import re
import typing
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from consul_core._decode_error import DecodeError, wrong
from consul_core._params import format_duration, parse_duration
from consul_core.errors import UsageError

__all__ = [
    "EMPTY_DURATIONS",
    "UNSET",
    "Duration",
    "GoDuration",
    "GoNanoseconds",
    "GoTime",
    "NanoDuration",
    "Timestamp",
    "decode_datetime",
    "decode_timedelta",
    "encode_duration",
    "format_time",
    "parse_time",
    "settled",
    "wire_time",
]

_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)")
_GO_ZERO_TIME = datetime(1, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


class GoTime(datetime):
    """A `datetime` decoded from Go's RFC 3339 text, which it keeps so that it encodes back to
    exactly that text (Go's nanoseconds and zone included). A new `datetime` derived from it
    (arithmetic, ``replace``) no longer has the text and encodes as any other.
    """

    __slots__ = ("_go_text",)
    _go_text: str

    def __reduce_ex__(self, protocol: typing.SupportsIndex) -> tuple[Any, ...]:
        return decode_datetime, (self._go_text,)


class GoDuration(timedelta):
    """A `timedelta` decoded from Go's duration text (``"1m30s"``) or seconds; shows as one.

    It keeps what it was decoded from (``wire``), so that it encodes back to exactly that
    (`encode_duration`): Go's nanoseconds, which a `timedelta` cannot hold, and Consul's text,
    which some entries store as sent. A new `timedelta` derived from it (arithmetic) no longer
    has it and encodes as any other.
    """

    __slots__ = ("wire",)
    wire: object

    def __repr__(self) -> str:
        return repr(timedelta(self.days, self.seconds, self.microseconds))

    def __reduce__(self) -> tuple[Any, ...]:
        wire = getattr(self, "wire", None)
        if wire is None:
            return timedelta, (self.days, self.seconds, self.microseconds)
        return decode_timedelta, (wire, type(self))


class GoNanoseconds(GoDuration):
    """A `timedelta` decoded from a Go ``time.Duration`` sent as integer nanoseconds."""

    __slots__ = ()


# The annotations of models' timestamps and durations. Type checkers see the types the values
# have (`datetime`, `timedelta`); msgspec sees the classes above, which it leaves to its hook (it
# would read Go's texts otherwise, and lose nanoseconds).
if TYPE_CHECKING:
    Timestamp: typing.TypeAlias = datetime
    Duration: typing.TypeAlias = timedelta
    NanoDuration: typing.TypeAlias = timedelta
else:
    Timestamp = GoTime
    Duration = GoDuration
    NanoDuration = GoNanoseconds

# What Go sends for an unset duration, per kind: an optional field reads it as None, a required
# one as a duration (0) or not at all ("").
EMPTY_DURATIONS: dict[Any, tuple[object, ...]] = {GoDuration: ("",), GoNanoseconds: ("",)}


class _UnsetTime(GoTime):
    """Go's zero time (or ``""``, its text kept) until its model settles it."""

    __slots__ = ()


class _UnsetDuration(GoDuration):
    """An empty duration (``wire``, as sent) until its model settles it."""

    __slots__ = ()


class _UnsetNanoseconds(_UnsetDuration, GoNanoseconds):
    """An empty or zero nanosecond duration (``wire``, as sent) until its model settles it."""

    __slots__ = ()


# The unset marker of each kind, which a model's ``__post_init__`` looks for.
UNSET: dict[type, type] = {
    GoTime: _UnsetTime,
    GoDuration: _UnsetDuration,
    GoNanoseconds: _UnsetNanoseconds,
}


def wire_time(kind: type, value: Any) -> Any:
    """Decode `value` for msgspec into `kind` (`GoTime`, `GoDuration` or `GoNanoseconds`): what
    the exact path reads, or for Go's zero values, which it reads by the field, an unset marker
    of `kind` for the model to settle.

    Raises:
        DecodeError: `value` is not of `kind`.
    """
    if kind is GoTime:
        if value != "":
            when = decode_datetime(value)
            if not _is_go_zero_time(when):
                return when
        marker = _UnsetTime(1, 1, 1)
        marker._go_text = value
        return marker
    if value in EMPTY_DURATIONS[kind]:
        marker = UNSET[kind](0)
        marker.wire = value
        return marker
    return decode_timedelta(value, kind)


def settled(value: datetime | timedelta, optional: bool) -> Any:
    """What the exact path reads for the zero value that the unset marker `value` stands for:
    None in an optional field; in a required one Go's zero time, a zero duration, or an error.

    Raises:
        DecodeError: `value` stands for ``""`` in a required field.
    """
    if optional:
        return None
    if isinstance(value, _UnsetTime):
        return decode_datetime(value._go_text)
    if isinstance(value, _UnsetDuration):
        kind = GoNanoseconds if isinstance(value, GoNanoseconds) else GoDuration
        return decode_timedelta(value.wire, kind)
    raise TypeError(f"not a marker of wire_time's: {type(value).__name__}")


def decode_datetime(value: object) -> datetime:
    """Decode Go's RFC 3339 text (up to nanoseconds) into a `GoTime` that keeps it.

    Raises:
        DecodeError: `value` is not an RFC 3339 timestamp.
    """
    if not isinstance(value, str):
        raise wrong("an RFC 3339 timestamp (a string)", value)
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise DecodeError("expected an RFC 3339 timestamp, got another string")
    seconds, fraction, zone = match.groups()
    # Python keeps microseconds (and 3.10's fromisoformat reads neither more digits nor "Z").
    micros = (fraction or "").ljust(6, "0")[:6]
    try:
        when = GoTime.fromisoformat(f"{seconds}.{micros}{'+00:00' if zone == 'Z' else zone}")
    except ValueError:
        raise DecodeError("expected an RFC 3339 timestamp, got an invalid date") from None
    when._go_text = value
    return when


def parse_time(value: object) -> datetime | None:
    """Decode an RFC 3339 timestamp with up to nanoseconds; None for null, "" or Go's zero time.

    The `datetime` returned encodes back (with `format_time`) to exactly `value`.

    Raises:
        DecodeError: `value` is not an RFC 3339 timestamp.
    """
    if value is None or value == "":
        return None
    when = decode_datetime(value)
    return None if _is_go_zero_time(when) else when


def _is_go_zero_time(when: datetime) -> bool:
    """Whether `when` is Go's zero time (``0001-01-01T00:00:00``, in any zone)."""
    return when.replace(tzinfo=None) == _GO_ZERO_TIME


def format_time(value: object, name: str) -> str:
    """Encode a timezone-aware `datetime` as RFC 3339; one `parse_time` decoded encodes back to
    the text it came from.

    Raises:
        UsageError: `value` is not a timezone-aware `datetime`.
    """
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise UsageError(f"{name} must be a timezone-aware datetime, not {value!r}")
    go_text: str | None = getattr(value, "_go_text", None)
    return go_text if go_text is not None else value.isoformat()


def decode_timedelta(value: Any, kind: type[GoDuration]) -> timedelta:
    """Decode a duration into `kind`: Go's text (``"1m30s"``) or a number, of seconds for
    `GoDuration` and of nanoseconds for `GoNanoseconds`.

    Raises:
        DecodeError: `value` is not a duration, or one out of range.
    """
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number and not isinstance(value, str):
        raise wrong("a duration (a number or a string)", value)
    try:
        if isinstance(value, str):
            duration = kind(seconds=parse_duration(value, "duration"))
        elif kind is GoNanoseconds:
            duration = kind(microseconds=value / 1000)
        else:
            duration = kind(seconds=value)
    except (OverflowError, ValueError):  # a UsageError is a ValueError; NaN is one too
        raise DecodeError("expected a duration, got one out of range or malformed") from None
    duration.wire = value
    return duration


def encode_duration(value: timedelta, nanoseconds: bool) -> Any:
    """Go's form of `value`: what it was decoded from, if it was (a `GoDuration` not derived
    since), else integer nanoseconds (with `nanoseconds`, for a ``time.Duration`` that Consul
    sends as a number) or Go's text.
    """
    wire = getattr(value, "wire", None) if isinstance(value, GoDuration) else None
    if wire is not None:
        return wire
    if nanoseconds:
        return value // _MICROSECOND * 1000  # exact: a timedelta counts whole microseconds
    return format_duration(value.total_seconds())
