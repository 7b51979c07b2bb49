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
from consul_core.endpoints._common import (
    dc_call,
    decode_id,
    decode_ok,
    first_model,
    indexed_read,
    model,
    model_list,
)
from consul_core.errors import NotFound, UsageError
from consul_core.meta import QueryMeta
from consul_core.models.query import PreparedQuery, QueryExplanation, QueryResult

__all__ = ["create", "delete", "execute", "explain", "items", "read", "update"]

# Consul answers a missing query ID with a 500 on some paths, and a malformed one on all.
_NOT_FOUND_TEXTS = {
    "non-existent prepared query": NotFound,
    "UUID must be 36 characters": NotFound,
}


def _definition(query: object) -> Any:
    if isinstance(query, PreparedQuery):
        return to_json(query)
    if isinstance(query, Mapping):
        return dict(query)
    raise UsageError("query must be a PreparedQuery or a mapping of Consul's query fields")


def _id_path(query: object, suffix: str = "") -> str:
    return f"/v1/query/{_params.path_segment(query, 'query')}{suffix}"


def _by_id(
    method: str, query: object, *, dc: object, token: object, body: object = None
) -> Call[bool]:
    return dc_call(
        method,
        _id_path(query),
        decode_ok,
        body=body,
        dc=dc,
        token=token,
        error_texts=_NOT_FOUND_TEXTS,
    )


def _id_or_name_path(query: object, suffix: str) -> str:
    if isinstance(query, PreparedQuery):
        query = query.id or query.name
    elif isinstance(query, Mapping):
        query = query.get("ID") or query.get("Name")
    text = _params.check_str(query, "query (an ID or a name)")
    return f"/v1/query/{_params.segment(text, 'query')}{suffix}"


def items(
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[PreparedQuery], QueryMeta]]:
    """List the prepared queries.

    Args:
        dc: The datacenter; default the agent's.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The queries the token may read, and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return indexed_read(
        "/v1/query",
        model_list(PreparedQuery),
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def create(
    query: PreparedQuery | Mapping[str, Any], *, dc: str | None = None, token: str | None = None
) -> Call[str]:
    """Create a prepared query.

    Args:
        query: The definition: a `PreparedQuery`, or a mapping in Consul's shape
            (``{"Name": ..., "Service": {"Service": ...}}``).
        dc: The datacenter.
        token: An ACL token for this call only; the query keeps it unless the definition
            names a ``Token``.

    Returns:
        The new query's ID.

    Raises:
        ServerError: Consul rejected the definition (e.g. its name is taken).
        UsageError: An argument is invalid.
    """
    return dc_call("POST", "/v1/query", decode_id, body=_definition(query), dc=dc, token=token)


def read(
    query: object,
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[PreparedQuery, QueryMeta]]:
    """Read a prepared query by ID.

    Args:
        query: The query: its ID, a mapping with ``"ID"``, or a `PreparedQuery`.
        dc: The datacenter.
        watch: A blocking read.
        consistency: The consistency mode.
        token: An ACL token for this call only.

    Returns:
        The definition and the read's metadata.

    Raises:
        NotFound: No query has that ID.
        UsageError: An argument is invalid.
    """
    return indexed_read(
        _id_path(query),
        first_model(PreparedQuery),
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
        error_texts=_NOT_FOUND_TEXTS,
    )


def explain(
    query: object,
    *,
    dc: str | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[QueryExplanation, QueryMeta]]:
    """Render a query as it would run for an ID or name, its template interpolated.

    Args:
        query: The query's ID or name (a template's name prefix matches), a mapping with
            ``"ID"`` or ``"Name"``, or a `PreparedQuery`.
        dc: The datacenter.
        consistency: The consistency mode.
        token: An ACL token for this call only.

    Returns:
        The rendered definition and the read's metadata.

    Raises:
        NotFound: No query has that ID or name.
        UsageError: An argument is invalid.
    """
    return indexed_read(
        _id_or_name_path(query, "/explain"),
        model(QueryExplanation),
        dc=dc,
        watch=None,
        consistency=consistency,
        token=token,
    )


def update(
    query: PreparedQuery | Mapping[str, Any], *, dc: str | None = None, token: str | None = None
) -> Call[bool]:
    """Replace a prepared query's definition.

    Args:
        query: The new definition, with the ``ID`` of the query to replace: a `PreparedQuery`
            (e.g. one `read` returned, changed with `attrs.evolve`) or a mapping.
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        True when replaced.

    Raises:
        NotFound: No query has that ID.
        UsageError: An argument is invalid.
    """
    return _by_id("PUT", query, body=_definition(query), dc=dc, token=token)


def delete(query: object, *, dc: str | None = None, token: str | None = None) -> Call[bool]:
    """Delete a prepared query.

    Args:
        query: The query: its ID, a mapping with ``"ID"``, or a `PreparedQuery`.
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        True when deleted.

    Raises:
        NotFound: No query has that ID.
        UsageError: An argument is invalid.
    """
    return _by_id("DELETE", query, dc=dc, token=token)


def execute(
    query: object,
    *,
    near: str | None = None,
    limit: int | None = None,
    connect: bool = False,
    dc: str | None = None,
    consistency: _params.Consistency | None = None,
    cached: bool = False,
    token: str | None = None,
) -> Call[tuple[QueryResult, QueryMeta]]:
    """Run a prepared query.

    Args:
        query: The query's ID or name (a template's name prefix matches), a mapping with
            ``"ID"`` or ``"Name"``, or a `PreparedQuery`.
        near: Sort the instances by round trip time from this node (``"_agent"``: the
            agent's, ``"_ip"``: the caller's); by default they are shuffled.
        limit: Return at most this many instances.
        connect: Return only Connect-capable instances.
        dc: The datacenter.
        consistency: The consistency mode (``"consistent"`` excludes `cached`).
        cached: Answer from the agent's cache.
        token: An ACL token for this call only (a token stored in the query wins).

    Returns:
        The result and the read's metadata.

    Raises:
        NotFound: No query has that ID or name.
        UsageError: An argument is invalid.
    """
    params: _params.Params = []
    if limit is not None:
        params.append(("limit", str(_params.check_int(limit, "limit"))))
    _params.add_true_flag(params, "connect", connect)
    return indexed_read(
        _id_or_name_path(query, "/execute"),
        model(QueryResult),
        dc=dc,
        watch=None,
        consistency=consistency,
        token=token,
        near=near,
        cached=cached,
        params=params,
    )
