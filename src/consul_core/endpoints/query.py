"""Builders for prepared queries: ``/v1/query``.

A query argument is its ID, a mapping with ``"ID"``, or a `PreparedQuery`; `explain` and
`execute` also take a query's name (or a name a template's prefix matches).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consul_core import _params
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints import _docs
from consul_core.endpoints._common import (
    dc_call,
    decode_id,
    decode_ok,
    first_model,
    indexed_read,
    model,
    model_list,
)
from consul_core.endpoints._options import (
    CacheControlOptions,
    ReadOptions,
    UnindexedReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import MALFORMED_UUID, NotFound, UsageError
from consul_core.meta import QueryMeta
from consul_core.models.query import PreparedQuery, QueryExplanation, QueryResult

__all__ = ["create", "delete", "execute", "explain", "items", "read", "update"]

# Consul answers a missing query ID with a 500 on some paths, and a malformed one on all.
_NOT_FOUND_TEXTS = {
    "non-existent prepared query": NotFound,
    MALFORMED_UUID: NotFound,
}


_QUERIES = _docs.sentences("query", "queries", "query", "PreparedQuery")


class _ExecuteOptions(UnindexedReadOptions, CacheControlOptions, total=False):
    """`execute`'s options: its ``cached`` and ``near`` are its own parameters."""


def _definition(query: object) -> Any:
    if isinstance(query, PreparedQuery):
        return to_json(query)
    if isinstance(query, Mapping):
        return dict(query)
    raise UsageError("query must be a PreparedQuery or a mapping of Consul's query fields")


def _id_path(query: object, suffix: str = "") -> str:
    return f"/v1/query/{_params.path_segment(query, 'query', routed=frozenset())}{suffix}"


def _by_id(
    method: str, query: object, *, body: object = None, **options: Unpack[WriteOptions]
) -> Call[bool]:
    path = _id_path(query)
    return dc_call(method, path, decode_ok, body=body, error_texts=_NOT_FOUND_TEXTS, **options)


def _id_or_name_path(query: object, suffix: str) -> str:
    if isinstance(query, PreparedQuery):
        query = query.id or query.name
    elif isinstance(query, Mapping):
        query = query.get("ID") or query.get("Name")
    text = _params.check_str(query, "query (an ID or a name)")
    # The handler takes all between the prefix and the trailing ``/execute`` or ``/explain``
    # as the ID or name (the agent decodes ``%2F`` first): a name may hold '/'.
    return f"/v1/query/{_params.segment(text, 'query')}{suffix}"


@builder
def items(**options: Unpack[ReadOptions]) -> Call[tuple[list[PreparedQuery], QueryMeta]]:
    """List the prepared queries.

    Returns:
        The queries the token may read, and the read's metadata.
    """
    return indexed_read("/v1/query", model_list(PreparedQuery), **options)


@builder
def create(query: PreparedQuery | Mapping[str, Any], **options: Unpack[WriteOptions]) -> Call[str]:
    """Create a prepared query.

    Args:
        query: The definition: a `PreparedQuery`, or a mapping in Consul's shape
            (``{"Name": ..., "Service": {"Service": ...}}``).
        token: An ACL token for this call only; the query keeps it unless the definition
            names a ``Token``.

    Returns:
        The new query's ID.

    Raises:
        ServerError: Consul rejected the definition (e.g. its name is taken).
    """
    return dc_call("POST", "/v1/query", decode_id, body=_definition(query), **options)


@builder(like=_QUERIES.read)
def read(query: object, **options: Unpack[ReadOptions]) -> Call[tuple[PreparedQuery, QueryMeta]]:
    """Read a prepared query by ID."""
    return indexed_read(
        _id_path(query),
        first_model(PreparedQuery),
        error_texts=_NOT_FOUND_TEXTS,
        **options,
    )


@builder
def explain(
    query: object, **options: Unpack[UnindexedReadOptions]
) -> Call[tuple[QueryExplanation, QueryMeta]]:
    """Render a query as it would run for an ID or name, its template interpolated.

    Args:
        query: The query's ID or name (a template's name prefix matches), a mapping with
            ``"ID"`` or ``"Name"``, or a `PreparedQuery`.

    Returns:
        The rendered definition and the read's metadata.

    Raises:
        NotFound: No query has that ID or name.
    """
    return indexed_read(_id_or_name_path(query, "/explain"), model(QueryExplanation), **options)


@builder(like=read)
def update(query: PreparedQuery | Mapping[str, Any], **options: Unpack[WriteOptions]) -> Call[bool]:
    """Replace a prepared query's definition.

    Args:
        query: The new definition, with the ``ID`` of the query to replace: a `PreparedQuery`
            (e.g. one `read` returned, changed with
            `msgspec.structs.replace`) or a mapping.

    Returns:
        True when replaced.
    """
    return _by_id("PUT", query, body=_definition(query), **options)


@builder(like=read)
def delete(query: object, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Delete a prepared query.

    Returns:
        True when deleted.
    """
    return _by_id("DELETE", query, **options)


@builder
def execute(
    query: object,
    *,
    near: str | None = None,
    limit: int | None = None,
    connect: bool = False,
    cached: bool = False,
    **options: Unpack[_ExecuteOptions],
) -> Call[tuple[QueryResult, QueryMeta]]:
    """Run a prepared query.

    Args:
        query: The query's ID or name (a template's name prefix matches), a mapping with
            ``"ID"`` or ``"Name"``, or a `PreparedQuery`.
        near: Sort the instances by round trip time from this node (``"_agent"``: the
            agent's, ``"_ip"``: the caller's); by default they are shuffled.
        limit: Return at most this many instances.
        connect: Return only Connect-capable instances.
        cached: Answer from the agent's cache (not with ``consistency="consistent"``).
        token: An ACL token for this call only (a token stored in the query wins).

    Returns:
        The result and the read's metadata.

    Raises:
        NotFound: No query has that ID or name.
    """
    params: _params.Params = []
    if limit is not None:
        params.append(("limit", str(_params.check_int(limit, "limit"))))
    _params.add_true_flag(params, "connect", connect)
    path = _id_or_name_path(query, "/execute")
    return indexed_read(
        path, model(QueryResult), params=params, near=near, cached=cached, **options
    )
