"""Models of the KV store.

Rules:
- `KeyValue` is never written back as JSON (a write sends the value itself), so it is no
  `Model` and keeps no unknown fields; its decoder is the hot path of every KV read and checks
  each value's JSON type as cheaply as it can.
"""

from __future__ import annotations

from binascii import a2b_base64
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from consul_core._codec import DecodeError, json_type

__all__ = ["KeyValue", "decode_entry"]


@attrs.frozen
class KeyValue:
    """One entry of the KV store.

    Attributes:
        key: The full key.
        value: The value, or None for a key without one (a `keys` listing, a txn ``set`` result).
        flags: The opaque 64-bit flags a client stored with the value.
        session: The session holding the key's lock, if any.
        lock_index: How many times the key's lock was acquired.
        create_index: The index that created the key.
        modify_index: The index of the last change: pass it as ``index=`` for CAS.
    """

    key: str
    value: bytes | None = None
    flags: int = 0
    session: str | None = None
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


def _entry_decoder() -> Callable[[Any], KeyValue]:
    # A 10,000-key tree decodes 10,000 entries: setting the slots directly skips the frozen
    # class's per-field __setattr__ checks (about 1 µs an entry). The result is an ordinary,
    # immutable KeyValue. The JSON types are checked with `type(...) is` tests, the four
    # integers in one chain; the unusual cases (null, a wrong type) take the slow path.
    new = object.__new__
    set_key, set_value, set_flags, set_session, set_lock, set_create, set_modify = (
        getattr(KeyValue, field.name).__set__ for field in attrs.fields(KeyValue)
    )

    def decode(data: Any) -> KeyValue:
        if type(data) is not dict:
            raise DecodeError(f"expected an object, got {json_type(data)}", model="KeyValue")
        get = data.get
        key, value, session, flags = get("Key"), get("Value"), get("Session"), get("Flags", 0)
        lock, create, modify = get("LockIndex", 0), get("CreateIndex", 0), get("ModifyIndex", 0)
        if type(key) is not str:
            raise _wrong("Key", "a string", key)
        if value is not None:
            try:  # takes str (and bytes, which JSON cannot hold); TypeError for anything else
                value = a2b_base64(value)
            except (TypeError, ValueError):  # ValueError: binascii.Error, or not ASCII
                raise _wrong("Value", "base64 text", value, "another string") from None
        if session is not None and type(session) is not str:
            raise _wrong("Session", "a string", session)
        if not type(flags) is type(lock) is type(create) is type(modify) is int:
            flags, lock = _int("Flags", flags), _int("LockIndex", lock)
            create, modify = _int("CreateIndex", create), _int("ModifyIndex", modify)
        entry = new(KeyValue)
        set_key(entry, key)
        set_value(entry, value)
        set_flags(entry, flags)
        set_session(entry, session or None)
        set_lock(entry, lock)
        set_create(entry, create)
        set_modify(entry, modify)
        return entry

    return decode


def _wrong(key: str, expected: str, value: object, other_string: str = "a string") -> DecodeError:
    found = other_string if type(value) is str else json_type(value)
    return DecodeError(f"expected {expected}, got {found}", f".{key}", "KeyValue")


def _int(key: str, value: object) -> int:
    """The slow path of the integer fields: null is 0, a value of another type an error."""
    if type(value) is int:
        return value
    if value is None:
        return 0
    raise _wrong(key, "an integer", value)


decode_entry = _entry_decoder()
