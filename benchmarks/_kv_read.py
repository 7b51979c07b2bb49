"""A KV read's reply as Consul 1.8.7 sends it, for the scripts that time a call without the
agent (`core_cost.py`, `cold_cost.py`): the body of one 100-byte entry and the reply's headers
as a native transport hands them over.
"""

from __future__ import annotations

import base64
import json

VALUE = base64.b64encode(b"x" * 100).decode()  # 100 bytes, as Consul encodes them
GET_BODY = json.dumps(
    [
        {
            "LockIndex": 0,
            "Key": "bench/key",
            "Flags": 0,
            "Value": VALUE,
            "CreateIndex": 5,
            "ModifyIndex": 42,
        }
    ]
).encode()
READ_FIELDS = {
    b"Content-Type": b"application/json",
    b"Vary": b"Accept-Encoding",
    b"X-Consul-Index": b"42",
    b"X-Consul-Knownleader": b"true",
    b"X-Consul-Lastcontact": b"0",
    b"Date": b"Wed, 02 Dec 2026 04:00:00 GMT",
    b"Content-Length": str(len(GET_BODY)).encode(),
}
