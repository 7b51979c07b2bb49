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
    # immutable KeyValue. Each value's type is checked with one `type(...) is` test; the
    # unusual cases (null, a wrong type) take the slow path.
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
            value = _bytes(value)
        if session is not None and type(session) is not str:
            raise _wrong("Session", "a string", session)
        entry = new(KeyValue)
        set_key(entry, key)
        set_value(entry, value)
        set_flags(entry, flags if type(flags) is int else _zero("Flags", flags))
        set_session(entry, session or None)
        set_lock(entry, lock if type(lock) is int else _zero("LockIndex", lock))
        set_create(entry, create if type(create) is int else _zero("CreateIndex", create))
        set_modify(entry, modify if type(modify) is int else _zero("ModifyIndex", modify))
        return entry

    return decode


def _wrong(key: str, expected: str, value: object) -> DecodeError:
    return DecodeError(f"expected {expected}, got {json_type(value)}", f".{key}", "KeyValue")


def _zero(key: str, value: object) -> int:
    """The slow path of an integer field: null is 0, anything else not an integer an error."""
    if value is None:
        return 0
    raise _wrong(key, "an integer", value)


def _bytes(value: object) -> bytes:
    if type(value) is not str:
        raise _wrong("Value", "base64 text (a string)", value)
    try:
        return a2b_base64(value)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise DecodeError(
            "expected base64 text, got another string", ".Value", "KeyValue"
        ) from None


decode_entry = _entry_decoder()
