"""Validation and encoding of the arguments endpoints share: durations, indexes, IDs, and the
common query options (``dc``, ``ns``, ``partition``, ``watch``, ``consistency``, ``filter``,
the cache control of cached reads, ...); and of what a client adds to every request (basic-auth
credentials, extra headers).

Rules:
- Everything here either returns a valid value or raises `UsageError`; nothing is sent first.
- Durations accept a Consul duration string, a `timedelta`, or seconds as a number.
- Every string argument that reaches a request passes `check_str`, `to_id` or `id_segment`,
  which refuse a lone surrogate (UTF-8 cannot encode it); names and IDs are percent-encoded
  where they go, so any other character travels as it is. A token, which travels as a header
  value, must be visible ASCII (`check_token`), and so must any other header value
  (`check_header`). An error about a secret (a token, a password, a header's value, a legacy
  token's ID in a path) never shows it, nor keeps it in its context (no error is raised while
  one that holds the secret, such as a `UnicodeEncodeError`, is being handled).
"""

from __future__ import annotations

import base64
import math
import re
import unicodedata
from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any, Literal, Protocol, TypeAlias

from consul_core.blocking import DEFAULT_WAIT, read_timeout
from consul_core.errors import UsageError
from consul_core.http import percent_encode
from consul_core.meta import UINT64_MAX, QueryMeta

__all__ = [
    "Consistency",
    "Duration",
    "IdLike",
    "IndexLike",
    "Params",
    "Watch",
    "format_duration",
    "parse_duration",
]

Duration: TypeAlias = "str | timedelta | int | float"
Consistency: TypeAlias = Literal["default", "consistent", "stale"]
Params = list[tuple[str, str]]


class _HasModifyIndex(Protocol):
    @property
    def modify_index(self) -> int: ...


IndexLike: TypeAlias = "int | QueryMeta | _HasModifyIndex"
Watch: TypeAlias = "IndexLike | tuple[IndexLike, Duration]"


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


IdLike: TypeAlias = "str | Mapping[str, Any] | _HasId"
"""What names an object by its ID (`to_id`): the ID, a mapping with ``"ID"``, or an object with
an ``id`` (a `Session`)."""

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_NS_PER_SECOND = 10**9
_SUBSECOND_UNITS = (("ms", 10**6), ("us", 10**3))
# Go's time.Duration is an int64 of nanoseconds: Consul refuses a longer duration.
_LONGEST_SECONDS = (2**63 - 1) / _NS_PER_SECOND


def parse_duration(value: object, name: str) -> float:
    """Return `value` as seconds.

    Args:
        value: A Go duration string (``"1m30s"``), a `timedelta`, or seconds as an int or float.
        name: The argument's name, for the error message.

    Returns:
        The duration in seconds, never negative.

    Raises:
        UsageError: The value is not a duration, is negative, or is longer than Go's
            ``time.Duration`` holds (about 292 years; infinity included).
    """
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_duration_string(value, name)
    else:
        raise UsageError(f"{name} must be a duration (str, timedelta or seconds), not {value!r}")
    if seconds < 0 or math.isnan(seconds):
        raise UsageError(f"{name} must not be negative, got {value!r}")
    if seconds > _LONGEST_SECONDS:
        raise UsageError(
            f"{name} must be at most {_LONGEST_SECONDS:.0f}s (about 292 years, the longest "
            f"duration Go holds), got {value!r}"
        )
    return seconds


def _parse_duration_string(text: str, name: str) -> float:
    if text in ("0", ""):
        if text == "":
            raise UsageError(f"{name} must not be empty")
        return 0.0
    position, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position != len(text):
        raise UsageError(f"{name} is not a duration like '15s' or '1m30s': {text!r}")
    return total


def format_duration(seconds: float) -> str:
    """Format seconds as a Consul duration string in the largest unit that keeps it whole
    (``"15s"``, ``"1500ms"``, ``"400us"``, ``"999ns"``), to the nanosecond: Go's precision.
    """
    whole = int(seconds)
    if seconds == whole:
        return f"{whole}s"
    # Whole seconds and the fraction apart: a float holds the fraction's nanoseconds exactly
    # enough to round to them, where seconds * 1e9 of a long duration would not.
    nanoseconds = whole * _NS_PER_SECOND + round((seconds - whole) * _NS_PER_SECOND)
    for unit, size in _SUBSECOND_UNITS:
        if not nanoseconds % size:
            return f"{nanoseconds // size}{unit}"
    return f"{nanoseconds}ns"


def duration_param(value: object, name: str) -> str:
    """Validate a duration argument and return it formatted for Consul."""
    return format_duration(parse_duration(value, name))


def to_index(value: object, name: str = "index") -> int:
    """Return the index named by `value`: an int, a `QueryMeta`, or an object's modify index.

    Raises:
        UsageError: `value` names no index, or one outside a uint64 (Consul's indexes).
    """
    if isinstance(value, QueryMeta):
        return value.index
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise UsageError(f"{name} must not be negative, got {value}")
        if value > UINT64_MAX:
            raise UsageError(f"{name} must be at most {UINT64_MAX} (a uint64), got {value}")
        return value
    modify_index = getattr(value, "modify_index", None)
    if isinstance(modify_index, int) and not isinstance(modify_index, bool):
        return modify_index
    raise UsageError(f"{name} must be an int, a QueryMeta or a KeyValue, not {value!r}")


def to_id(value: object, name: str, key: str = "ID") -> str:
    """Return the ID named by `value`: a string, a mapping with `key`, or an object's ``id``.

    Raises:
        UsageError: `value` names no ID, or its ID holds a lone surrogate.
    """
    if isinstance(value, Mapping):
        value = value.get(key)
    elif not isinstance(value, str):
        value = getattr(value, "id", None)
    if not isinstance(value, str) or not value:
        raise UsageError(f"{name} must be a non-empty ID, a mapping with {key!r}, or an object")
    return check_encodable(value, name)


# Which paths the agent can address over HTTP (Consul 1.8.7 and current releases alike); a KV
# key, or a name or ID that stands in a path, is part of one:
# - Its router is Go's `http.ServeMux`, which answers a path that `path.Clean` would change with
#   a 301 to the cleaned path, and cleans the decoded path (`URL.Path`), so no escaping helps:
#   a "." or ".." segment or an empty one ("a//b") anywhere in a key makes it unreachable (and
#   "app/../victim" names "victim"), and so does a "/" that starts one or a name holding such
#   segments (a "/" in a name, escaped as %2F, is decoded first). `path.Clean` keeps one
#   trailing "/": folder keys ("app/") work.
# - The router is wrapped in go-cleanhttp's `PrintablePathCheckHandler` (agent/http.go), which
#   answers a bare 400 to a decoded path holding a rune that Go's `unicode.IsPrint` refuses:
#   anything but letters, marks, numbers, punctuation, symbols and the ASCII space. That is
#   exactly `str.isprintable()` (categories L, M, N, P, S and " "), so: no control or format
#   character (tab, CR, LF, NUL, DEL, U+0085, soft hyphen, zero-width joiner, BOM), no other
#   space (U+00A0, U+3000), no line or paragraph separator (U+2028, U+2029), no private use.
# The Unicode versions differ: Consul 1.8.7 was built with Go 1.15 (Unicode 12.0), Consul built
# with Go 1.21 or later has 15.0, Python 3.10 has 13.0 ... 3.13 has 15.1. An assigned character
# keeps its category across them; what differs is which code points are assigned. So a code
# point the running Python does not know (category "Cn"; noncharacters aside, which stay
# unassigned forever) is left to the agent: its own tables decide, and it answers 400 when they
# do not know it either (`BadRequest`). That way no Python refuses a key that current Consul
# takes (a Unicode 14 or 15 emoji on Python 3.10 or 3.11); an agent older than the running
# Python's tables (1.8.7 and a Unicode 13 emoji) answers 400.
# (An agent started with `disable_http_unprintable_char_filter` accepts unprintable keys, as a
# way out for old data; this client does not address those.)
_DOT_SEGMENTS = frozenset({".", ".."})


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _check_printable(text: str, shown: str) -> None:
    for position, char in enumerate(text):
        if char.isprintable():
            continue
        code = ord(char)
        if unicodedata.category(char) == "Cn" and not _is_noncharacter(code):
            continue  # unassigned in this Python's tables: the agent's tables decide
        raise UsageError(
            f"{shown} holds U+{code:04X} at position {position}: the agent refuses "
            "paths with characters Go does not count as printable (control and format "
            "characters, separators other than ' ', private use, noncharacters)"
        )


def check_path_text(text: str, name: str, *, secret: bool = False) -> str:
    """Return `text`, a KV key or a name that goes into a path, if the agent can address it.

    Args:
        text: The key or name.
        name: The argument's name, for the message.
        secret: Whether `text` is a secret (a legacy ACL token's ID), which the message then
            does not show.

    Raises:
        UsageError: It begins with ``/``, has a ``.`` or ``..`` segment or an empty one
            (``//``), or holds a character Go does not count as printable (see above).
    """
    shown = f"{name} (a secret, not shown)" if secret else f"{name} {text!r}"
    if text.startswith("/"):
        raise UsageError(f"{shown} must not begin with '/'")
    if "." in text or "//" in text:
        *inner, last = text.split("/")
        if last in _DOT_SEGMENTS or any(not part or part in _DOT_SEGMENTS for part in inner):
            raise UsageError(
                f"{shown} has a '.' or '..' segment or an empty one ('//'): the "
                "agent's HTTP router rewrites such paths, so it cannot be addressed"
            )
    if not text.isprintable():
        _check_printable(text, shown)
    return text


def segment(text: str, name: str, safe: str = "", *, secret: bool = False) -> str:
    """`text` (a name or ID), checked by `check_path_text` and escaped for a path; `safe`: the
    characters left as they are; `secret`: `text` is not shown in a message.
    """
    return percent_encode(check_path_text(text, name, secret=secret), safe)


def routed_segment(text: str, name: str, words: frozenset[str] = frozenset()) -> str:
    """`text` (an ID or name), checked and escaped as `segment` does, for a path whose handler
    routes on what follows its prefix (``/v1/acl/token/<id>/clone``, ``/v1/acl/token/self``).

    Args:
        text: The ID or name.
        name: The argument's name, for messages.
        words: The handler's own words after the prefix (``"self"``), which `text` must not be.

    Raises:
        UsageError: `text` holds a ``/`` (the agent decodes ``%2F`` before routing, so
            ``<id>/clone`` would clone a token), is one of `words`, or `segment` refuses it.
    """
    if "/" in text:
        raise UsageError(
            f"{name} must not hold '/': the agent would read what follows it as another "
            "endpoint of the same path"
        )
    if text in words:
        raise UsageError(f"{name} must not be one of {sorted(words)}: each names another endpoint")
    return segment(text, name)


def path_segment(
    value: object, name: str, key: str = "ID", routed: frozenset[str] | None = None
) -> str:
    """An ID or name (as `to_id` accepts it), escaped to stand as one path segment; with
    `routed`, as `routed_segment` checks it against those words.
    """
    text = to_id(value, name, key)
    return segment(text, name) if routed is None else routed_segment(text, name, routed)


def encode_utf8(text: str, name: str) -> bytes:
    """Return `text` encoded as UTF-8, or raise `UsageError` if it holds a lone surrogate (as
    `os.fsdecode` or ``"surrogateescape"`` make from bytes that are not UTF-8).
    """
    try:
        return text.encode()
    except UnicodeEncodeError as exc:
        position = exc.start
    # Raised once the encoding error is handled: as the error's context, it would keep the
    # whole text (a token, say).
    raise UsageError(
        f"{name} holds a lone surrogate (U+{ord(text[position]):04X}) at position {position}, "
        "which UTF-8 cannot encode"
    )


def check_encodable(text: str, name: str) -> str:
    """Return `text` if UTF-8 can encode it, else raise `UsageError` (see `encode_utf8`)."""
    if not text.isascii():  # O(1): CPython keeps the flag
        encode_utf8(text, name)
    return text


def check_str(value: object, name: str, *, empty: bool = False) -> str:
    """Return `value` if it is a string (non-empty unless `empty`) that UTF-8 can encode, else
    raise `UsageError`.
    """
    if not isinstance(value, str):
        raise UsageError(f"{name} must be a str, not {type(value).__name__}")
    if not empty and not value:
        raise UsageError(f"{name} must not be empty")
    return value if value.isascii() else check_encodable(value, name)  # ASCII: no call needed


def check_token(value: object, name: str = "token") -> str:
    """Return `value` if it can travel as the ``X-Consul-Token`` header, else raise `UsageError`
    (whose message never shows the token).

    Args:
        value: The token.
        name: Where it came from, for the message (``"token"``, ``"CONSUL_HTTP_TOKEN"``, ...).
    """
    text = check_str(value, name)
    if not _is_header_value(text):  # Consul's tokens are UUIDs
        raise UsageError(
            f"{name} must be visible ASCII characters (a header cannot carry a line break, a "
            "control character, non-ASCII text or spaces at either end); the value is not shown"
        )
    return text


def check_bytes(value: object, name: str) -> bytes:
    """Return `value` as bytes (`str` is encoded as UTF-8), else raise `UsageError`."""
    if isinstance(value, str):
        return encode_utf8(value, name)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise UsageError(f"{name} must be bytes or str, not {type(value).__name__}")


def check_int(value: object, name: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Return `value` if it is an int within bounds, else raise `UsageError`."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise UsageError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise UsageError(f"{name} must be {bound}, got {value}")
    return value


# RFC 9110 token: the characters of a header name.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _is_header_value(text: str) -> bool:
    # Visible ASCII, words separated by spaces (RFC 9110 field-vchar; a receiver strips spaces
    # at either end, and CR or LF would end the header and start another, or a second request).
    # On ASCII, `isprintable` is 0x20-0x7E.
    return text.isascii() and text.isprintable() and text.strip(" ") == text


def check_header(name: object, value: object, what: str = "headers") -> tuple[str, str]:
    """Return a header's name and value if they can travel in an HTTP/1.1 request, else raise
    `UsageError`, whose message names the header but never shows its value.
    """
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        raise UsageError(f"{what}: {name!r} is not a valid header name")
    if not isinstance(value, str) or not _is_header_value(value):
        raise UsageError(
            f"{what}: the value of {name} must be a str of visible ASCII characters (no line "
            "break, control character, non-ASCII text or spaces at either end); it is not shown"
        )
    return name, value


def check_basic_auth(value: object, name: str = "auth") -> tuple[str, str]:
    """Return HTTP basic-auth credentials as (user, password).

    Args:
        value: ``"user:password"`` (the text of ``CONSUL_HTTP_AUTH``: the user ends at the first
            ``:``; without one, the password is empty, as the Go client reads it), or a pair
            (user, password).
        name: Where it came from, for the message.

    Raises:
        UsageError: `value` is neither, the user holds a ``:``, or either holds a control
            character or a lone surrogate; the message never shows the password.
    """
    if isinstance(value, str):
        user, _, password = value.partition(":")
    elif isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        user, password = value
        if ":" in user:
            raise UsageError(f"{name}: the user of basic auth must not hold ':'")
    else:
        raise UsageError(f"{name} must be 'user:password' or a pair (user, password)")
    try:
        credentials: bytes | None = f"{user}:{password}".encode()
    except UnicodeEncodeError:
        credentials = None
    if credentials is None:  # raised here, not above: its context would keep the password
        raise UsageError(f"{name} holds a lone surrogate; it is not shown")
    if any(byte < 0x20 or byte == 0x7F for byte in credentials):
        raise UsageError(f"{name} holds a control character; it is not shown")
    return user, password


def basic_auth_value(user: str, password: str) -> str:
    """The ``Authorization`` header value for basic auth (RFC 7617, UTF-8 credentials)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def add_dc(params: Params, dc: object) -> None:
    """Add ``dc`` when given."""
    if dc is not None:
        params.append(("dc", check_str(dc, "dc")))


def add_scope(params: Params, ns: object, partition: object) -> None:
    """Add ``ns`` and ``partition`` (Consul Enterprise) when given."""
    if ns is not None:
        params.append(("ns", check_str(ns, "ns")))
    if partition is not None:
        params.append(("partition", check_str(partition, "partition")))


def cache_control(cached: bool, max_age: object, stale_if_error: object) -> str | None:
    """The ``Cache-Control`` header value of a cached read: ``max-age=N`` and
    ``stale-if-error=N`` in whole seconds, as the Go client sends them; None without either.

    Raises:
        UsageError: Either is given without `cached`, `stale_if_error` without `max_age`
            (Consul honours it only beside one), or a value is not a duration.
    """
    if max_age is None and stale_if_error is None:
        return None
    if not cached:
        raise UsageError("max_age and stale_if_error apply to cached reads only (cached=True)")
    if max_age is None:
        raise UsageError("stale_if_error needs max_age: Consul honours it only beside max-age")
    directives = [f"max-age={round(parse_duration(max_age, 'max_age'))}"]
    if stale_if_error is not None:
        seconds = round(parse_duration(stale_if_error, "stale_if_error"))
        directives.append(f"stale-if-error={seconds}")
    return ", ".join(directives)


def add_consistency(params: Params, consistency: object) -> None:
    """Add the consistency flag (``consistent`` or ``stale``) when asked for."""
    if consistency is None or consistency == "default":
        return
    if consistency not in ("consistent", "stale"):
        raise UsageError(
            f"consistency must be 'default', 'consistent' or 'stale', not {consistency!r}"
        )
    params.append((str(consistency), ""))


def add_watch(params: Params, watch: object) -> float | None:
    """Add ``index`` and ``wait`` for a blocking read; return the read timeout it needs."""
    if watch is None:
        return None
    if isinstance(watch, tuple):
        if len(watch) != 2:
            raise UsageError("watch must be an index or a pair (index, wait)")
        index, wait = to_index(watch[0], "watch"), parse_duration(watch[1], "watch wait")
        if round(wait * 1e9) == 0:
            # Consul reads a wait of 0 as none given, its default (Go's WaitTime 0 too): the
            # read's timeout must allow for that, not for 0.
            wait = DEFAULT_WAIT
    else:
        index, wait = to_index(watch, "watch"), DEFAULT_WAIT
    params.append(("index", str(max(index, 1))))
    params.append(("wait", format_duration(wait)))
    return read_timeout(wait)


def add_filter(params: Params, filter: object) -> None:
    """Add a ``filter`` expression when given."""
    if filter is not None:
        params.append(("filter", check_str(filter, "filter")))


def add_near(params: Params, near: object) -> None:
    """Add ``near`` (a node name or ``_agent``) when given."""
    if near is not None:
        params.append(("near", check_str(near, "near")))


def add_node_meta(params: Params, node_meta: object) -> None:
    """Add one ``node-meta=key:value`` per entry of a mapping."""
    if node_meta is None:
        return
    if not isinstance(node_meta, Mapping):
        raise UsageError("node_meta must be a mapping of str to str")
    for key, value in node_meta.items():
        name = check_str(key, "node_meta key")
        # Consul splits the parameter at its first ':': a key holding one would filter on
        # another key (a value may hold them).
        if ":" in name:
            raise UsageError(f"node_meta key must not hold ':': {name!r}")
        text = check_str(value, "node_meta value", empty=True)
        params.append(("node-meta", f"{name}:{text}"))


def add_flag(params: Params, name: str, value: object) -> None:
    """Add a bare flag when `value` is true."""
    if not isinstance(value, bool):
        raise UsageError(f"{name} must be a bool, not {type(value).__name__}")
    if value:
        params.append((name, ""))


def add_true_flag(params: Params, name: str, value: object) -> None:
    """Add ``name=true`` when `value` is true: Consul parses these flags' values, so a bare
    flag would not count.
    """
    if not isinstance(value, bool):
        raise UsageError(f"{name} must be a bool, not {type(value).__name__}")
    if value:
        params.append((name, "true"))


def check_bool(value: object, name: str) -> bool:
    """Return `value` if it is a bool, else raise `UsageError`."""
    if not isinstance(value, bool):
        raise UsageError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def check_str_list(value: object, name: str) -> list[str]:
    """Return `value` as a list if it is a list or tuple of str (a bare str is refused)."""
    if not isinstance(value, (list, tuple)):
        raise UsageError(f"{name} must be a list of str, not {type(value).__name__}")
    return [check_str(item, f"{name} item", empty=True) for item in value]


def check_str_map(value: object, name: str) -> dict[str, str]:
    """Return `value` as a dict if it is a mapping of str to str."""
    if not isinstance(value, Mapping):
        raise UsageError(f"{name} must be a mapping of str to str, not {type(value).__name__}")
    return {
        check_str(key, f"{name} key"): check_str(item, f"{name} value", empty=True)
        for key, item in value.items()
    }


def id_segment(value: object, name: str, sources: tuple[tuple[str, str], ...]) -> str:
    """The ID that `value` names, escaped to stand as one path segment.

    Args:
        value: A str; or a mapping, whose first non-empty value under a JSON key of `sources`
            is taken; or an object, whose first non-empty attribute of `sources` is taken.
        name: The argument's name, for the error message.
        sources: Pairs of a JSON key and the matching attribute, in order of preference
            (``(("ID", "id"), ("Name", "name"))``: Consul defaults an ID to the name).

    Raises:
        UsageError: `value` names no ID, or its ID holds a lone surrogate.
    """
    if isinstance(value, str):
        found: object = value
    elif isinstance(value, Mapping):
        found = next((value[k] for k, _ in sources if value.get(k)), None)
    else:
        found = next((getattr(value, a) for _, a in sources if getattr(value, a, None)), None)
    if not isinstance(found, str) or not found:
        keys = " or ".join(repr(k) for k, _ in sources)
        raise UsageError(f"{name} must be a non-empty ID, a mapping with {keys}, or an object")
    return segment(check_encodable(found, name), name)


def path_field(value: object, name: str) -> str:
    """A definition's str field that later names it in a path (a service's or a check's ID or
    name, a config entry's name), checked by `check_path_text` when not empty (Consul fills an
    empty one): what is registered can be addressed again.

    Raises:
        UsageError: It is not a str, or `check_path_text` refuses it.
    """
    text = check_str(value, name, empty=True)
    return check_path_text(text, name) if text else text


class FieldRule(Protocol):
    """Validates one field of a definition: returns the value to send or raises `UsageError`."""

    def __call__(self, value: object, name: str, /) -> object: ...


def canonical_fields(spec: dict[str, object], names: Collection[str]) -> None:
    """Rename, in place, the fields of `spec` spelled otherwise than one of `names` but read as
    it by Consul (Go's JSON decoding ignores case, and the agent takes snake case too:
    ``name``, ``enable_tag_override``), so that they are checked and found as that field.

    Raises:
        UsageError: A field is given twice, in two spellings.
    """
    odd = [name for name in spec if name not in names]
    if not odd:
        return
    known = {name.lower(): name for name in names}
    for name in odd:
        canonical = known.get(name.lower().replace("_", ""))
        if canonical is None:
            continue
        if canonical in spec:
            raise UsageError(f"{canonical} is given twice, also as {name!r}")
        spec[canonical] = spec.pop(name)


def check_fields(spec: dict[str, object], rules: Mapping[str, FieldRule]) -> None:
    """Validate, in place, the fields of `spec` that `rules` know (a None value passes).

    Fields without a rule pass through: Consul refuses the keys it does not know.
    """
    for name, value in spec.items():
        rule = rules.get(name)
        if rule is not None and value is not None:
            spec[name] = rule(value, name)
