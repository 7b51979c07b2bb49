"""Models of the KV store."""

from __future__ import annotations

from binascii import a2b_base64
from collections.abc import Callable, Mapping
from typing import Any

import attrs

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
        """Decode Consul's JSON object for a KV entry."""
        return decode_entry(data)


def _entry_decoder() -> Callable[[Mapping[str, Any]], KeyValue]:
    # A 10,000-key tree decodes 10,000 entries: setting the slots directly skips the frozen
    # class's per-field __setattr__ checks (about 1 µs an entry). The result is an ordinary,
    # immutable KeyValue.
    new = object.__new__
    set_key, set_value, set_flags, set_session, set_lock, set_create, set_modify = (
        getattr(KeyValue, field.name).__set__ for field in attrs.fields(KeyValue)
    )

    def decode(data: Mapping[str, Any]) -> KeyValue:
        key = data["Key"]
        if type(key) is not str:
            raise TypeError("KeyValue.Key must be a string")
        value = data.get("Value")
        entry = new(KeyValue)
        set_key(entry, key)
        set_value(entry, None if value is None else a2b_base64(value))
        set_flags(entry, data.get("Flags") or 0)
        set_session(entry, data.get("Session") or None)
        set_lock(entry, data.get("LockIndex") or 0)
        set_create(entry, data.get("CreateIndex") or 0)
        set_modify(entry, data.get("ModifyIndex") or 0)
        return entry

    return decode


decode_entry = _entry_decoder()
