"""Builders for the built-in policy templates: ``/v1/acl/templated-policies`` (Consul >= 1.17).

Template names hold a slash (``builtin/service``), which stays one in the path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import make_call, model, model_map
from consul_core.endpoints._options import (
    CallOptions,
    NamespacedCallOptions,
    Unpack,
    builder,
)
from consul_core.errors import UsageError
from consul_core.models.acl import ACLPolicy, ACLPolicyTemplate

__all__ = ["items", "preview", "read_by_name"]

_decode_template = model(ACLPolicyTemplate)


def _template_path(action: str, name: object) -> str:
    text = _params.check_str(name, "name")
    return f"/v1/acl/templated-policy/{action}/{_params.segment(text, 'name', safe='/')}"


@builder(needs="acl:read")
def items(**options: Unpack[CallOptions]) -> Call[dict[str, ACLPolicyTemplate]]:
    """List the built-in policy templates.

    Returns:
        The templates by name.
    """
    return make_call("GET", "/v1/acl/templated-policies", model_map(ACLPolicyTemplate), **options)


@builder(needs="acl:read")
def read_by_name(name: str, **options: Unpack[CallOptions]) -> Call[ACLPolicyTemplate]:
    """Read a built-in policy template.

    Args:
        name: The template's name, e.g. ``"builtin/service"``.

    Returns:
        The template.

    Raises:
        BadRequest: No template has that name.
    """
    return make_call("GET", _template_path("name", name), _decode_template, **options)


@builder(needs="acl:read")
def preview(
    name: str, variables: Mapping[str, Any] | None = None, **options: Unpack[NamespacedCallOptions]
) -> Call[ACLPolicy]:
    """Render a policy template into the policy it would grant.

    Args:
        name: The template's name, e.g. ``"builtin/service"``.
        variables: Its variables, e.g. ``{"Name": "api"}``.

    Returns:
        The rendered policy (not stored).

    Raises:
        BadRequest: No template has that name, or a variable is missing.
    """
    if variables is not None and not isinstance(variables, Mapping):
        raise UsageError("variables must be a mapping such as {'Name': 'api'}")
    return make_call(
        "POST",
        _template_path("preview", name),
        model(ACLPolicy),
        body=dict(variables or {}),
        **options,
    )
