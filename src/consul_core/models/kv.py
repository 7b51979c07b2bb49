"""Models of the KV store.

Rules:
- `KeyValue` is never written back as JSON (a write sends the value itself), so it is no
  `Model` and keeps no unknown fields (a newer Consul's are dropped, on every path).
- A KV read's body decodes with `decode_entries`: msgspec straight into entries (base64 values
  included) for the usual body, `decode_entry` on each object for any other.
"""

from __future__ import annotations

from binascii import a2b_base64
from collections.abc import Mapping
from typing import Annotated, Any

import msgspec

from consul_core._codec import DecodeError, as_list, json_name, json_type
from consul_core._typed import body_decoder

__all__ = ["KeyValue", "decode_entries", "decode_entry", "decode_entry_list"]

# Go's omitempty leaves no empty session out; should one come, it is None (the exact path's).
_SessionID = Annotated[str, msgspec.Meta(min_length=1)]


class KeyValue(msgspec.Struct, frozen=True, rename=json_name, gc=False):
    """One entry of the KV store.

    Attributes:
        key: The full key.
        value: The value, or None when Consul sends none: for an empty value (stored as
            ``b""``, read back as None, as Go reads nil), and in a txn ``set`` result.
        flags: The opaque 64-bit flags a client stored with the value.
        session: The session holding the key's lock, if any.
        lock_index: How many times the key's lock was acquired.
        create_index: The index that created the key.
        modify_index: The index of the last change: pass it as ``index=`` for CAS.
    """

    key: str
    value: bytes | None = None
    flags: int = 0
    session: _SessionID | None = None
    lock_index: int = 0
    create_index: int = 0
    modify_index: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KeyValue:
        """Decode Consul's JSON object for a KV entry.

        Raises:
            DecodeError: A value has the wrong JSON type.
        """
        return decode_entry(data)


def decode_entry(data: Any) -> KeyValue:
    """Decode Consul's JSON object for a KV entry: a missing or null integer is 0, an empty
    session None.

    Raises:
        DecodeError: `data` is not an object, or a value has the wrong JSON type.
    """
    if type(data) is not dict:
        raise DecodeError(f"expected an object, got {json_type(data)}", model="KeyValue")
    get = data.get
    key, value, session = get("Key"), get("Value"), get("Session")
    if type(key) is not str:
        raise _wrong("Key", "a string", key)
    if value is not None:
        try:  # takes str (and bytes, which JSON cannot hold); TypeError for anything else
            value = a2b_base64(value)
        except (TypeError, ValueError):  # ValueError: binascii.Error, or not ASCII
            raise _wrong("Value", "base64 text", value, "another string") from None
    if session is not None and type(session) is not str:
        raise _wrong("Session", "a string", session)
    return KeyValue(
        key,
        value,
        _int(data, "Flags"),
        session or None,
        _int(data, "LockIndex"),
        _int(data, "CreateIndex"),
        _int(data, "ModifyIndex"),
    )


def _wrong(key: str, expected: str, value: object, other_string: str = "a string") -> DecodeError:
    found = other_string if type(value) is str else json_type(value)
    return DecodeError(f"expected {expected}, got {found}", f".{key}", "KeyValue")


def _int(data: dict[str, Any], key: str) -> int:
    """An integer field: null or missing is 0, a value of another type an error."""
    value = data.get(key)
    if type(value) is int:
        return value
    if value is None:
        return 0
    raise _wrong(key, "an integer", value)


def decode_entry_list(data: Any) -> list[KeyValue]:
    """Decode a JSON array of KV entries (null is an empty one) with `decode_entry`.

    Raises:
        DecodeError: `data` is not an array, or an entry is not a KV entry.
    """
    return [decode_entry(item) for item in as_list(data)]


decode_entries = body_decoder(list[KeyValue], decode_entry_list)
"""Decode a KV read's body, a JSON array of entries (null is an empty one).

Raises (the decoder):
    DecodeError: The body is not JSON, not an array, or an entry is not a KV entry.
"""
