"""Builders for the KV store: ``/v1/kv``.

Keys are percent-encoded with ``/`` kept, so any key the agent can address (spaces, ``?``,
``#``, ``%``, ``+``, accents, CJK, emoji) reaches Consul as written; `check_key` refuses, before
any request, the keys it cannot address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from consul_core import _params
from consul_core._codec import DecodeError
from consul_core.call import Call
from consul_core.endpoints._common import (
    dc_call,
    decode_bool,
    decode_str_list,
    indexed_read,
    map_error_texts,
)
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    NamespacedWriteOptions,
    Unpack,
    builder,
)
from consul_core.errors import NotFound
from consul_core.http import _UNRESERVED, Response, percent_encode
from consul_core.meta import UINT64_MAX, QueryMeta
from consul_core.models.kv import KeyValue, decode_entries

__all__ = [
    "cas",
    "check_key",
    "delete",
    "delete_cas",
    "delete_tree",
    "get",
    "get_tree",
    "keys",
    "lock",
    "raw",
    "set",
    "unlock",
]

T = TypeVar("T")

_FOUND_OR_EMPTY = frozenset({200, 404})
# A lock's session that does not exist: Consul answers a 500 with these words.
_INVALID_SESSION = {"invalid session": NotFound}
# What a key may hold and be sent as it is, with no dot segment to rule out: the characters
# `percent_encode` never escapes, less ".", and "/".
_PLAIN = _UNRESERVED.replace(".", "") + "/"


def check_key(key: object, *, prefix: bool = False, empty: bool | None = None) -> str:
    """Return `key` if the agent can address it over HTTP, else raise `UsageError`.

    Every builder that takes a key or a prefix in a path (here, locks and semaphores) passes
    it here, and so do a transaction's writing verbs: a key written is one `get` can read.

    Args:
        key: The key, or with `prefix` a key prefix.
        prefix: Whether `key` is a prefix (as messages call it).
        empty: Whether it may be empty (all keys); by default, when it is a prefix. A prefix
            that deletes may not: an empty one would wipe the whole store.

    Returns:
        The key.

    Raises:
        UsageError: `key` is not a str; is empty where it may not be; begins with ``/``; has a
            ``.`` or ``..`` segment or an empty one (``//``); holds a lone surrogate or a
            character Go does not count as printable.
    """
    name = "prefix" if prefix else "key"
    allowed = prefix if empty is None else empty
    return _params.check_path_text(_params.check_str(key, name, empty=allowed), name)


def key_path(key: object, *, prefix: bool = False, empty: bool | None = None) -> str:
    """The escaped path of a key (or, with `prefix`, of a key prefix; `empty` as `check_key`).

    Raises:
        UsageError: `check_key` refuses the key.
    """
    # The usual key (letters, digits, "_", "-", "~" and single inner "/"s) is valid and needs
    # no escape: told so by one strip, without the checks' calls.
    if type(key) is str and key and not key.rstrip(_PLAIN) and key[0] != "/" and "//" not in key:
        return "/v1/kv/" + key
    return "/v1/kv/" + percent_encode(check_key(key, prefix=prefix, empty=empty), "/")


def _decode_one(response: Response) -> KeyValue:
    items = decode_entries(response.body)
    if not items:
        raise DecodeError("expected one KeyValue, got an empty array")
    return items[0]


def _decode_many(response: Response) -> list[KeyValue]:
    if response.status == 404:
        return []
    return decode_entries(response.body)


def _decode_keys(response: Response) -> list[str]:
    return [] if response.status == 404 else decode_str_list(response)


def _decode_raw(response: Response) -> bytes:
    return response.body


def _prefix_read(
    flag: str,
    decode: Callable[[Response], T],
    prefix: object,
    separator: object,
    options: NamespacedReadOptions,
) -> Call[tuple[T, QueryMeta]]:
    # A prefix with no key under it is a 404: an empty result.
    params: _params.Params = [(flag, "")]
    if separator is not None:
        params.append(("separator", _params.check_str(separator, "separator")))
    path = key_path(prefix, prefix=True)
    return indexed_read(path, decode, params=params, expect=_FOUND_OR_EMPTY, **options)


@builder
def get(key: str, **options: Unpack[NamespacedReadOptions]) -> Call[tuple[KeyValue, QueryMeta]]:
    """Read one key.

    Args:
        key: The key.

    Returns:
        The entry and the read's metadata.

    Raises:
        NotFound: The key does not exist; ``.meta.index`` is the index to watch from.
    """
    return indexed_read(key_path(key), _decode_one, **options)


@builder(like=get)
def raw(key: str, **options: Unpack[NamespacedReadOptions]) -> Call[tuple[bytes, QueryMeta]]:
    """Read the value of one key as raw bytes.

    Returns:
        The value and the read's metadata.
    """
    return indexed_read(key_path(key), _decode_raw, params=[("raw", "")], **options)


@builder
def keys(
    prefix: str = "", separator: str | None = None, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[list[str], QueryMeta]]:
    """List the keys under a prefix.

    Args:
        prefix: The prefix; empty for every key.
        separator: List only up to this separator (``"/"`` lists one folder level).

    Returns:
        The keys (empty when none match) and the read's metadata.
    """
    return _prefix_read("keys", _decode_keys, prefix, separator, options)


@builder(like=keys)
def get_tree(
    prefix: str = "", separator: str | None = None, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[list[KeyValue], QueryMeta]]:
    """Read every entry under a prefix.

    Args:
        separator: Read one level only (``"/"``: one folder): leave out the entries whose key,
            past the prefix, holds the separator before its end, so that what remains are the
            entries `keys` lists with it (a subfolder is there when it has an entry of its
            own, ``<prefix>sub/``). Consul applies a separator to key listings only: the agent
            sends every entry under the prefix, and the deeper ones are left out here.

    Returns:
        The entries (empty when none match) and the read's metadata.
    """
    if not separator:  # None, or "" (as for `keys`: no separator)
        return _prefix_read("recurse", _decode_many, prefix, None, options)
    level = _params.check_str(separator, "separator")
    start = len(check_key(prefix, prefix=True))

    def decode(response: Response) -> list[KeyValue]:
        return [e for e in _decode_many(response) if _one_level(e.key, start, level)]

    return _prefix_read("recurse", decode, prefix, None, options)


def _one_level(key: str, start: int, separator: str) -> bool:
    """Whether `key` is one level below its prefix (which ends at `start`): no `separator`
    past the prefix, or only at its end (as a key listing with the separator shows it).
    """
    cut = key.find(separator, start)
    return cut < 0 or cut + len(separator) == len(key)


def _put(
    key: object,
    value: object,
    flags: object,
    extra: tuple[str, str] | None,
    options: NamespacedWriteOptions,
) -> Call[bool]:
    path = key_path(key)
    body = _params.check_bytes(value, "value")
    params: _params.Params = []
    if flags is not None:
        params.append(("flags", str(_params.check_int(flags, "flags", maximum=UINT64_MAX))))
    if extra is not None:
        params.append(extra)
    return dc_call("PUT", path, decode_bool, params=params, raw_body=body, **options)


class _FlaggedWrite(NamespacedWriteOptions, total=False):
    """The options of a conditional write: the call's, and the flags to store."""

    flags: int | None


def _put_if(
    key: object, value: object, condition: tuple[str, str], options: _FlaggedWrite
) -> Call[bool]:
    """A write on a `condition` (a CAS index, a session to acquire or release a lock for)."""
    flags = options.pop("flags", None)
    return _put(key, value, flags, condition, options)


@builder
def set(
    key: str,
    value: bytes | str,
    flags: int | None = None,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[bool]:
    """Write a key.

    Args:
        key: The key.
        value: The value (a `str` is stored as UTF-8).
        flags: Opaque 64-bit flags to store with it.

    Returns:
        True when written.
    """
    return _put(key, value, flags, None, options)


@builder(like=set)
def cas(
    key: str, value: bytes | str, *, index: _params.IndexLike, **options: Unpack[_FlaggedWrite]
) -> Call[bool]:
    """Write a key only if it was not modified since `index` (0: only if it does not exist).

    Args:
        index: The modify index it must still have: an int, a `KeyValue` or a `QueryMeta`.

    Returns:
        True when written, False when the index was stale.
    """
    return _put_if(key, value, ("cas", str(_params.to_index(index))), options)


@builder(like=set)
def lock(
    key: str, value: bytes | str, *, session: _params.IdLike, **options: Unpack[_FlaggedWrite]
) -> Call[bool]:
    """Write a key and acquire its lock for a session.

    Args:
        session: The session (its ID, a mapping with ``"ID"``, or a `Session`).

    Returns:
        True when the lock was acquired, False when another session holds it.

    Raises:
        NotFound: The session does not exist (it was destroyed or invalidated): Consul's
            500 ``invalid session``.
    """
    acquire = _put_if(key, value, ("acquire", _params.to_id(session, "session")), options)
    return map_error_texts(acquire, _INVALID_SESSION)


@builder(like=set)
def unlock(
    key: str, value: bytes | str, *, session: _params.IdLike, **options: Unpack[_FlaggedWrite]
) -> Call[bool]:
    """Write a key and release its lock held by a session.

    Args:
        session: The session holding the lock.

    Returns:
        True when released, False when the session did not hold it (or does not exist).
    """
    return _put_if(key, value, ("release", _params.to_id(session, "session")), options)


def _delete(
    path: str, extra: tuple[str, str] | None, options: NamespacedWriteOptions
) -> Call[bool]:
    params = () if extra is None else (extra,)
    return dc_call("DELETE", path, decode_bool, params=params, **options)


@builder
def delete(key: str, **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
    """Delete a key (deleting a missing key succeeds).

    Args:
        key: The key.

    Returns:
        True.
    """
    return _delete(key_path(key), None, options)


@builder(like=delete)
def delete_cas(
    key: str, *, index: _params.IndexLike, **options: Unpack[NamespacedWriteOptions]
) -> Call[bool]:
    """Delete a key only if it was not modified since `index`.

    Args:
        index: The modify index it must still have.

    Returns:
        True when deleted, False when the index was stale.
    """
    return _delete(key_path(key), ("cas", str(_params.to_index(index))), options)


@builder
def delete_tree(prefix: str, **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
    """Delete every key under a prefix.

    Args:
        prefix: The prefix. It must not be empty, so that a slip cannot wipe the whole store.

    Returns:
        True.
    """
    return _delete(key_path(prefix, prefix=True, empty=False), ("recurse", ""), options)
