"""`QueryMeta`: what Consul says about a read in its ``X-Consul-*`` headers.

Rules:
- Reading the headers never fails: a numeric header that is not a decimal Go ``uint64``
  (``abc``, ``-1``, ``1e3``, more than 20 digits, or more than a `timedelta` holds) reads as
  absent, its default (0). An error reply builds its `QueryMeta` too, and a garbled header
  must not hide the error; a watch whose index reads as 0 starts over, as Consul's rules say
  for an index that goes backwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import msgspec

from consul_core.http import Headers

__all__ = ["QueryMeta"]


UINT64_MAX = 2**64 - 1  # Consul's indexes and flags are Go uint64s
_MAX_MILLISECONDS = int(timedelta.max.total_seconds()) * 1000
_MAX_SECONDS = int(timedelta.max.total_seconds())
_NO_CONTACT = timedelta(0)
# The headers `QueryMeta` reads, in the order of its fields, as Consul writes them.
_HEADERS = (
    b"X-Consul-Index",
    b"X-Consul-Knownleader",
    b"X-Consul-Lastcontact",
    b"X-Consul-Effective-Consistency",
    b"X-Consul-Default-Acl-Policy",
    b"X-Consul-Results-Filtered-By-Acls",
    b"X-Cache",
    b"Age",
    b"X-Consul-Query-Backend",
    b"X-Consul-Contenthash",
    b"X-Consul-Translate-Addresses",
)
_INDEX, _KNOWN_LEADER, _LAST_CONTACT = _HEADERS[:3]  # those most replies hold
# The names of a usual reply's headers, as Consul writes them: the usual three and those Go's
# HTTP server adds.
_USUAL_REPLY = frozenset(
    {
        b"Content-Encoding",
        b"Content-Length",
        b"Content-Type",
        b"Date",
        b"Vary",
        _INDEX,
        _KNOWN_LEADER,
        _LAST_CONTACT,
    }
)


def _uint(text: bytes | None, maximum: int = UINT64_MAX) -> int:
    """`text` as a decimal uint64 up to `maximum`; 0 when absent or anything else."""
    # int() would also take "+1", " 1" and "1_0"; Go's ParseUint does not (bytes' isdigit is
    # ASCII's).
    if text is None or len(text) > 20 or not text.isdigit():
        return 0
    value = int(text)
    return value if value <= maximum else 0


class QueryMeta(msgspec.Struct, frozen=True, gc=False):
    """Metadata of a read, parsed from the response headers.

    Attributes:
        index: ``X-Consul-Index``: the index to watch from (0 where Consul sends none).
        known_leader: ``X-Consul-KnownLeader``: whether the server knew a leader.
        last_contact: ``X-Consul-LastContact``: how long since the server heard from the leader.
        effective_consistency: ``X-Consul-Effective-Consistency``, where Consul sends it.
        default_acl_policy: ``X-Consul-Default-ACL-Policy``, where Consul sends it.
        results_filtered_by_acls: ``X-Consul-Results-Filtered-By-ACLs``.
        cache_hit: ``X-Cache: HIT`` on a cached read, False on a miss, None when not cached.
        cache_age: ``Age`` of a cached result.
        query_backend: ``X-Consul-Query-Backend``: which backend served a blocking read
            (``"blocking-query"`` or ``"streaming"``), where Consul says (1.10 and later).
        content_hash: ``X-Consul-ContentHash``: the hash to block on, for the reads that
            block on a hash instead of an index (the agent's own services).
        address_translation_enabled: ``X-Consul-Translate-Addresses``: the agent translates
            the addresses of other datacenters' nodes and services to their WAN ones
            (``translate_wan_addrs``), as Go's ``QueryMeta.AddressTranslationEnabled``.
    """

    index: int = 0
    known_leader: bool = False
    last_contact: timedelta = timedelta(0)
    effective_consistency: str | None = None
    default_acl_policy: str | None = None
    results_filtered_by_acls: bool = False
    cache_hit: bool | None = None
    cache_age: timedelta | None = None
    query_backend: str | None = None
    content_hash: str | None = None
    address_translation_enabled: bool = False

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> QueryMeta:
        """Parse the metadata from response headers; absent headers take their defaults, and
        so do numeric headers that are not decimal unsigned integers (never an error).
        """
        found = headers if type(headers) is Headers else Headers(headers)
        # Most replies hold none of the rarer headers: one scan of their names tells.
        fields = found.fields_within(_USUAL_REPLY)
        if fields is not None:
            get = fields.get
            index, known_leader, contact = get(_INDEX), get(_KNOWN_LEADER), get(_LAST_CONTACT)
            rare: Sequence[bytes | None] = ()
        else:
            index, known_leader, contact, *rare = found.raw_values(_HEADERS)
        # Positional: a read builds one per reply, and keywords cost a lookup each.
        usual = (
            # `_uint`'s usual case first (a call costs more): under 20 digits is a uint64.
            int(index)
            if index is not None and len(index) < 20 and index.isdigit()
            else _uint(index),
            known_leader == b"true",
            # A leader answers "0": one shared value rather than a new timedelta per reply.
            _NO_CONTACT
            if contact == b"0" or contact is None
            else timedelta(milliseconds=_uint(contact, _MAX_MILLISECONDS)),
        )
        if not rare:
            return cls(*usual)
        (
            effective_consistency,
            default_acl_policy,
            filtered,
            cache,
            age,
            query_backend,
            content_hash,
            translate_addresses,
        ) = rare
        return cls(
            *usual,
            # Texts decoded here, not by a helper: most replies have none, and a call costs
            # more than the test.
            None if effective_consistency is None else effective_consistency.decode("latin-1"),
            None if default_acl_policy is None else default_acl_policy.decode("latin-1"),
            filtered == b"true",
            None if cache is None else cache.upper() == b"HIT",
            None if age is None else timedelta(seconds=_uint(age, _MAX_SECONDS)),
            None if query_backend is None else query_backend.decode("latin-1"),
            None if content_hash is None else content_hash.decode("latin-1"),
            translate_addresses == b"true",
        )
