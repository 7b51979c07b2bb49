"""Models of the KV store."""

from __future__ import annotations

from binascii import a2b_base64
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["KeyValue"]


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
        """Decode Consul's JSON object for a KV entry (a hot path, hence written out)."""
        value = data.get("Value")
        key = data["Key"]
        if not isinstance(key, str):
            raise TypeError("KeyValue.Key must be a string")
        return cls(
            key,
            None if value is None else a2b_base64(value),
            int(data.get("Flags") or 0),
            data.get("Session") or None,
            int(data.get("LockIndex") or 0),
            int(data.get("CreateIndex") or 0),
            int(data.get("ModifyIndex") or 0),
        )
