"""The ``acl`` namespace: the legacy ACL system, bootstrap and login, and the modern system's
objects as sub-namespaces (``client.acl.tokens``, ``.policies``, ``.roles``, ``.auth_methods``,
``.binding_rules``, ``.templated_policies``).
"""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import acl, acl_login

# The modern system's modules under the names of their namespaces (``client.acl.tokens``).
from consul_core.endpoints import acl_auth_methods as auth_methods
from consul_core.endpoints import acl_binding_rules as binding_rules
from consul_core.endpoints import acl_policies as policies
from consul_core.endpoints import acl_roles as roles
from consul_core.endpoints import acl_templated_policies as templated_policies
from consul_core.endpoints import acl_tokens as tokens

__all__ = [
    "ACL",
    "ACLAuthMethods",
    "ACLBindingRules",
    "ACLPolicies",
    "ACLRoles",
    "ACLTemplatedPolicies",
    "ACLTokens",
]


class ACLTokens(Namespace[D]):
    """Tokens: ``/v1/acl/token``, ``/v1/acl/tokens``."""

    create = endpoint(tokens.create)
    read = endpoint(tokens.read)
    read_expanded = endpoint(tokens.read_expanded)
    read_self = endpoint(tokens.read_self)
    update = endpoint(tokens.update)
    clone = endpoint(tokens.clone)
    delete = endpoint(tokens.delete)
    items = endpoint(tokens.items)


class ACLPolicies(Namespace[D]):
    """Policies: ``/v1/acl/policy``, ``/v1/acl/policies``."""

    create = endpoint(policies.create)
    read = endpoint(policies.read)
    read_by_name = endpoint(policies.read_by_name)
    update = endpoint(policies.update)
    delete = endpoint(policies.delete)
    items = endpoint(policies.items)


class ACLRoles(Namespace[D]):
    """Roles: ``/v1/acl/role``, ``/v1/acl/roles``."""

    create = endpoint(roles.create)
    read = endpoint(roles.read)
    read_by_name = endpoint(roles.read_by_name)
    update = endpoint(roles.update)
    delete = endpoint(roles.delete)
    items = endpoint(roles.items)


class ACLAuthMethods(Namespace[D]):
    """Auth methods: ``/v1/acl/auth-method``, ``/v1/acl/auth-methods``."""

    create = endpoint(auth_methods.create)
    read = endpoint(auth_methods.read)
    update = endpoint(auth_methods.update)
    delete = endpoint(auth_methods.delete)
    items = endpoint(auth_methods.items)


class ACLBindingRules(Namespace[D]):
    """Binding rules: ``/v1/acl/binding-rule``, ``/v1/acl/binding-rules``."""

    create = endpoint(binding_rules.create)
    read = endpoint(binding_rules.read)
    update = endpoint(binding_rules.update)
    delete = endpoint(binding_rules.delete)
    items = endpoint(binding_rules.items)


class ACLTemplatedPolicies(Namespace[D]):
    """Built-in policy templates: ``/v1/acl/templated-policies`` (Consul >= 1.17)."""

    items = endpoint(templated_policies.items)
    read_by_name = endpoint(templated_policies.read_by_name)
    preview = endpoint(templated_policies.preview)


class ACL(Namespace[D]):
    """The ACL system: legacy tokens, bootstrap and login, and the modern system's objects.

    Attributes:
        tokens: Tokens (Consul >= 1.4).
        policies: Policies (Consul >= 1.4).
        roles: Roles (Consul >= 1.5).
        auth_methods: Auth methods (Consul >= 1.5).
        binding_rules: Binding rules of auth methods (Consul >= 1.5).
        templated_policies: Built-in policy templates (Consul >= 1.17).
    """

    tokens: ACLTokens[D]
    policies: ACLPolicies[D]
    roles: ACLRoles[D]
    auth_methods: ACLAuthMethods[D]
    binding_rules: ACLBindingRules[D]
    templated_policies: ACLTemplatedPolicies[D]

    create = endpoint(acl.create)
    update = endpoint(acl.update)
    info = endpoint(acl.info)
    clone = endpoint(acl.clone)
    destroy = endpoint(acl.destroy)
    items = endpoint(acl.items)
    replication = endpoint(acl.replication)
    translate_rules = endpoint(acl.translate_rules)
    translate_token_rules = endpoint(acl.translate_token_rules)
    bootstrap = endpoint(acl_login.bootstrap)
    login = endpoint(acl_login.login)
    logout = endpoint(acl_login.logout)
    oidc_auth_url = endpoint(acl_login.oidc_auth_url)
    oidc_callback = endpoint(acl_login.oidc_callback)
