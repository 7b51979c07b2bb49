"""ACLs: legacy tokens (aioconsul's examples), then a policy and a token of the modern system."""

from __future__ import annotations

from typing import Any

from _runner import main, step

from consul_core import PermissionDenied

RULES = """
key "" {
    policy = "read"
}
key "private/" {
    policy = "deny"
}
"""
POLICY_RULES = 'key_prefix "" { policy = "read" }'


async def run_async(client: Any) -> None:
    # The legacy system: a token's ID is also its secret, so only its start is printed.
    token = {"Name": "my-app-token"}
    token_id = await client.acl.create(token)
    step("create", token_id[:8] + "...")
    token["ID"] = token_id
    token["Rules"] = RULES
    step("update", await client.acl.update(token) == token_id)
    obj, meta = await client.acl.info(token_id)
    step("info", (obj.name, obj.type, "private/" in obj.rules))
    clone_id, meta = await client.acl.clone(token_id)
    step("clone", clone_id != token_id)
    tokens, meta = await client.acl.items()
    step("items", [t.name for t in tokens])
    step("destroy", await client.acl.destroy(token_id))
    step("destroy the clone", await client.acl.destroy(clone_id))
    obj = await client.acl.replication()
    step("replication", (obj.enabled, obj.running))
    # The modern system: a policy, and a token that links it.
    policy = await client.acl.policies.create(name="example-read-only", rules=POLICY_RULES)
    step("policies.create", (policy.name, policy.rules))
    acl_token = await client.acl.tokens.create(description="example", policies=[policy])
    step("tokens.create", [link.name for link in acl_token.policies])
    obj, meta = await client.acl.tokens.read_self(token=acl_token.secret_id)
    step("tokens.read_self with it", obj.description)
    try:
        await client.kv.set("example/acl", b"x", token=acl_token.secret_id)
    except PermissionDenied as error:
        step("kv.set with it", error)
    tokens, meta = await client.acl.tokens.items(policy=policy)
    step("tokens.items(policy=...)", [t.description for t in tokens])
    step("tokens.delete", await client.acl.tokens.delete(acl_token))
    step("policies.delete", await client.acl.policies.delete(policy))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    # The legacy system: a token's ID is also its secret, so only its start is printed.
    token = {"Name": "my-app-token"}
    token_id = client.acl.create(token)
    step("create", token_id[:8] + "...")
    token["ID"] = token_id
    token["Rules"] = RULES
    step("update", client.acl.update(token) == token_id)
    obj, meta = client.acl.info(token_id)
    step("info", (obj.name, obj.type, "private/" in obj.rules))
    clone_id, meta = client.acl.clone(token_id)
    step("clone", clone_id != token_id)
    tokens, meta = client.acl.items()
    step("items", [t.name for t in tokens])
    step("destroy", client.acl.destroy(token_id))
    step("destroy the clone", client.acl.destroy(clone_id))
    obj = client.acl.replication()
    step("replication", (obj.enabled, obj.running))
    # The modern system: a policy, and a token that links it.
    policy = client.acl.policies.create(name="example-read-only", rules=POLICY_RULES)
    step("policies.create", (policy.name, policy.rules))
    acl_token = client.acl.tokens.create(description="example", policies=[policy])
    step("tokens.create", [link.name for link in acl_token.policies])
    obj, meta = client.acl.tokens.read_self(token=acl_token.secret_id)
    step("tokens.read_self with it", obj.description)
    try:
        client.kv.set("example/acl", b"x", token=acl_token.secret_id)
    except PermissionDenied as error:
        step("kv.set with it", error)
    tokens, meta = client.acl.tokens.items(policy=policy)
    step("tokens.items(policy=...)", [t.description for t in tokens])
    step("tokens.delete", client.acl.tokens.delete(acl_token))
    step("policies.delete", client.acl.policies.delete(policy))


if __name__ == "__main__":
    main(run_async, run_sync)
