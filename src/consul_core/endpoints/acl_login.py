"""Builders that hand out or take back tokens: ``/v1/acl/bootstrap``, ``/v1/acl/login``,
``/v1/acl/logout`` and the OIDC flow (``/v1/acl/oidc/...``, Consul Enterprise).
"""

from __future__ import annotations

from collections.abc import Mapping

from consul_core import _params
from consul_core._codec import decode_json, get_field
from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.endpoints._common import dc_call, decode_bool, make_call
from consul_core.endpoints._options import (
    CallOptions,
    NamespacedWriteOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import UsageError
from consul_core.http import Response
from consul_core.models.acl import ACLToken

__all__ = ["bootstrap", "login", "logout", "oidc_auth_url", "oidc_callback"]


def _meta(meta: object) -> dict[str, str] | None:
    if meta is None:
        return None
    if not isinstance(meta, Mapping):
        raise UsageError("meta must be a mapping of str to str")
    return {
        _params.check_str(k, "meta key"): _params.check_str(v, "meta value", empty=True)
        for k, v in meta.items()
    }


@builder
def bootstrap(
    *, bootstrap_secret: str | None = None, **options: Unpack[CallOptions]
) -> Call[ACLToken]:
    """Create the first management token of a cluster; this works once.

    Args:
        bootstrap_secret: The secret to give the token (Consul >= 1.15); default a random one.
        token: An ACL token for this call only (none is needed).

    Returns:
        The management token, with its secret.

    Raises:
        PermissionDenied: The cluster was bootstrapped already.
    """
    body = _acl.merged({}, BootstrapSecret=_acl.opt_str(bootstrap_secret, "bootstrap_secret"))
    return make_call("PUT", "/v1/acl/bootstrap", _acl.decode_token, body=body or None, **options)


@builder
def login(
    auth_method: _acl.AuthMethodRef,
    bearer_token: str,
    meta: Mapping[str, str] | None = None,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[ACLToken]:
    """Exchange a credential of an auth method (a JWT, a Kubernetes service account token)
    for a new Consul token.

    Args:
        auth_method: The auth method: its name, a mapping with ``"Name"``, or an
            `ACLAuthMethod`.
        bearer_token: The credential to verify.
        meta: Metadata to record in the new token's description.
        dc: The datacenter whose auth method to use.
        token: An ACL token for this call only (none is needed).

    Returns:
        The new token, with its secret; give it back with `logout`.

    Raises:
        PermissionDenied: The auth method does not exist, or no binding rule matched.
        ServerError: Consul could not verify the credential.
    """
    body = _acl.merged(
        {
            "AuthMethod": _acl.auth_method_name(auth_method),
            "BearerToken": _params.check_str(bearer_token, "bearer_token"),
        },
        Meta=_meta(meta),
    )
    return dc_call("POST", "/v1/acl/login", _acl.decode_token, body=body, **options)


@builder
def logout(**options: Unpack[WriteOptions]) -> Call[bool]:
    """Destroy a token that `login` created: the call's token (``token=``, else the client's).

    Args:
        token: The token to destroy.

    Returns:
        True.

    Raises:
        PermissionDenied: The token does not exist, or was not created by `login`.
    """
    return dc_call("POST", "/v1/acl/logout", decode_bool, **options)


def _decode_auth_url(response: Response) -> str:
    return get_field(decode_json(response.body), "AuthURL", str)


@builder
def oidc_auth_url(
    auth_method: _acl.AuthMethodRef,
    redirect_uri: str,
    client_nonce: str,
    meta: Mapping[str, str] | None = None,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[str]:
    """Start an OIDC login: get the provider's authorization URL (Consul Enterprise).

    Args:
        auth_method: The ``"oidc"`` auth method: its name, a mapping with ``"Name"``, or an
            `ACLAuthMethod`.
        redirect_uri: Where the provider sends the user back; one of the method's
            ``AllowedRedirectURIs``.
        client_nonce: A random value to pass again to `oidc_callback`.
        meta: Metadata to record in the token's description.
        token: An ACL token for this call only (none is needed).

    Returns:
        The URL to send the user to.
    """
    body = _acl.merged(
        {
            "AuthMethod": _acl.auth_method_name(auth_method),
            "RedirectURI": _params.check_str(redirect_uri, "redirect_uri"),
            "ClientNonce": _params.check_str(client_nonce, "client_nonce"),
        },
        Meta=_meta(meta),
    )
    return dc_call("POST", "/v1/acl/oidc/auth-url", _decode_auth_url, body=body, **options)


@builder
def oidc_callback(
    auth_method: _acl.AuthMethodRef,
    state: str,
    code: str,
    client_nonce: str,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[ACLToken]:
    """Finish an OIDC login: exchange the provider's answer for a token (Consul Enterprise).

    Args:
        auth_method: The ``"oidc"`` auth method, as for `oidc_auth_url`.
        state: The ``state`` the provider sent back.
        code: The ``code`` the provider sent back.
        client_nonce: The nonce given to `oidc_auth_url`.
        token: An ACL token for this call only (none is needed).

    Returns:
        The new token, with its secret.
    """
    body = {
        "AuthMethod": _acl.auth_method_name(auth_method),
        "State": _params.check_str(state, "state"),
        "Code": _params.check_str(code, "code"),
        "ClientNonce": _params.check_str(client_nonce, "client_nonce"),
    }
    return dc_call("POST", "/v1/acl/oidc/callback", _acl.decode_token, body=body, **options)
