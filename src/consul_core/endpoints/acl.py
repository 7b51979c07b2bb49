"""Builders for the legacy ACL system (``/v1/acl/create``, ``info``, ...; Consul 0.x to 1.10:
removed in 1.11), the ACL replication status, and the translation of legacy rules.

A legacy token's ID is also its secret: the calls that put it in the path keep it out of their
errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints import _acl, _docs
from consul_core.endpoints._common import (
    Ref,
    dc_call,
    decode_bool,
    decode_id,
    first_or_missing,
    indexed_read,
    make_call,
    model,
    model_list,
    with_meta,
)
from consul_core.endpoints._options import (
    CallOptions,
    ReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.meta import QueryMeta
from consul_core.models.acl import ACLLegacyToken, ACLReplicationStatus

__all__ = [
    "clone",
    "create",
    "destroy",
    "info",
    "items",
    "replication",
    "translate_rules",
    "translate_token_rules",
    "update",
]

_decode_entries = model_list(ACLLegacyToken)
_TOKENS = _docs.sentences(
    "token", "tokens", "acl_token", "ACLLegacyToken", missing="NotFound: The token does not exist."
)
# The token that the legacy endpoints take.
_MANAGEMENT = "Args:\n    token: An ACL token for this call only (a management token)."


_decode_single = first_or_missing(ACLLegacyToken, "ACL token")


def _secret_path(action: str, acl_token: object) -> tuple[str, str]:
    secret = _acl.ref(acl_token, "acl_token")
    # Not routed: the legacy handlers read the rest of the path, and a legacy token's ID may
    # hold a "/". A secret: never shown in a message.
    return f"/v1/acl/{action}/{_params.segment(secret, 'acl_token', secret=True)}", secret


@builder(like=_MANAGEMENT)
def create(
    acl_token: Mapping[str, Any] | ACLLegacyToken | None = None, **options: Unpack[WriteOptions]
) -> Call[str]:
    """Create a legacy token.

    Removed in Consul 1.11, with the whole legacy ACL system: use `ACL.tokens`.

    Args:
        acl_token: The token in Consul's shape (``{"Name": ..., "Type": "client", "Rules":
            ...}``, with the ``"ID"`` to use if you choose it) or an `ACLLegacyToken`.

    Returns:
        The new token's ID (its secret).
    """
    body = _acl.spec_of(acl_token, "acl_token", ACLLegacyToken)
    return dc_call("PUT", "/v1/acl/create", decode_id, body=body, **options)


@builder(like=_MANAGEMENT)
def update(
    acl_token: Mapping[str, Any] | ACLLegacyToken, **options: Unpack[WriteOptions]
) -> Call[str]:
    """Update a legacy token (Consul creates it if its ID is unknown).

    Removed in Consul 1.11, with the whole legacy ACL system: use `ACL.tokens`.

    Args:
        acl_token: The whole token, with its ``"ID"``: a mapping in Consul's shape or an
            `ACLLegacyToken`.

    Returns:
        The token's ID.

    Raises:
        UsageError: An argument is invalid or names no ID.
    """
    body = _acl.spec_of(acl_token, "acl_token", ACLLegacyToken)
    _acl.ref(body, "acl_token")
    return dc_call("PUT", "/v1/acl/update", decode_id, body=body, **options)


@builder(like=_TOKENS.read)
def info(
    acl_token: Ref[ACLLegacyToken], **options: Unpack[ReadOptions]
) -> Call[tuple[ACLLegacyToken, QueryMeta]]:
    """Read a legacy token.

    Removed in Consul 1.11, with the whole legacy ACL system: use `ACL.tokens`.
    """
    path, secret = _secret_path("info", acl_token)
    call = indexed_read(path, _decode_single, **options)
    return _acl.hiding(call, secret)


@builder(like=(_TOKENS.named, _MANAGEMENT))
def clone(
    acl_token: Ref[ACLLegacyToken], **options: Unpack[WriteOptions]
) -> Call[tuple[str, QueryMeta]]:
    """Create a copy of a legacy token under a new ID.

    Removed in Consul 1.11, with the whole legacy ACL system: use `ACL.tokens`.

    Returns:
        The new token's ID and the reply's metadata.

    Raises:
        PermissionDenied: The token does not exist (Consul says so with a 403), or the call's
            token may not manage tokens.
    """
    path, secret = _secret_path("clone", acl_token)
    return _acl.hiding(dc_call("PUT", path, with_meta(decode_id), **options), secret)


@builder(like=(_TOKENS.delete, _MANAGEMENT))
def destroy(acl_token: Ref[ACLLegacyToken], **options: Unpack[WriteOptions]) -> Call[bool]:
    """Destroy a legacy token (destroying a missing token succeeds).

    Removed in Consul 1.11, with the whole legacy ACL system: use `ACL.tokens`.
    """
    path, secret = _secret_path("destroy", acl_token)
    call = dc_call("PUT", path, decode_bool, **options)
    return _acl.hiding(call, secret)


@builder(like=(_TOKENS.items, _MANAGEMENT))
def items(**options: Unpack[ReadOptions]) -> Call[tuple[list[ACLLegacyToken], QueryMeta]]:
    """List the legacy tokens (with Consul >= 1.4, tokens of the new system show too).

    Removed in Consul 1.11, with the whole legacy ACL system: use `ACL.tokens`.
    """
    return indexed_read("/v1/acl/list", _decode_entries, **options)


@builder
def replication(**options: Unpack[WriteOptions]) -> Call[ACLReplicationStatus]:
    """Read the state of ACL replication in a datacenter.

    Args:
        dc: The datacenter to ask (replication runs in secondary datacenters).

    Returns:
        The replication status.
    """
    return dc_call("GET", "/v1/acl/replication", model(ACLReplicationStatus), **options)


@builder(needs="acl:read")
def translate_rules(rules: str, **options: Unpack[CallOptions]) -> Call[str]:
    """Translate legacy rules into the syntax of policies (Consul 1.4 to 1.10).

    Removed in Consul 1.11, with the legacy ACL system.

    Args:
        rules: Legacy HCL rules, e.g. ``'key "" { policy = "read" }'``.

    Returns:
        The rules in the new syntax (``key_prefix "" { ... }``).
    """
    raw = _params.check_str(rules, "rules").encode()
    return make_call("POST", "/v1/acl/rules/translate", _acl.decode_text, raw_body=raw, **options)


@builder(needs="acl:read")
def translate_token_rules(acl_token: object, **options: Unpack[CallOptions]) -> Call[str]:
    """Translate the rules of a legacy token into the syntax of policies (Consul 1.4 to 1.10).

    Removed in Consul 1.11, with the legacy ACL system.

    Args:
        acl_token: The legacy token, named by its accessor ID (as `tokens.items` lists it), a
            mapping with ``"AccessorID"``, or an `ACLToken`.

    Returns:
        The token's rules in the new syntax.
    """
    path = f"/v1/acl/rules/translate/{_acl.accessor_id(acl_token)}"
    return make_call("GET", path, _acl.decode_text, **options)
