"""The compiled discovery chain: config entries for "web" (a subset, a 90/10 split), the chain
Consul compiles from them, the same chain with overrides (a POST), and a blocking read that
returns when an entry changes.
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

ENTRIES = [
    {"Kind": "service-defaults", "Name": "web", "Protocol": "http"},
    {
        "Kind": "service-resolver",
        "Name": "web",
        "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
    },
    {
        "Kind": "service-splitter",
        "Name": "web",
        "Splits": [{"Weight": 90, "ServiceSubset": "v1"}, {"Weight": 10}],
    },
]
GRPC = {"Kind": "service-defaults", "Name": "web", "Protocol": "grpc"}


def _splits(chain: Any) -> list[tuple[float, str]]:
    return [(s.weight, s.next_node) for s in chain.nodes[chain.start_node].splits]


async def run_async(client: Any) -> None:
    for entry in ENTRIES:
        await client.config.set(entry)
    try:
        chain, meta = await client.discovery_chain.get("web")
        step("chain", (chain.protocol, chain.start_node, _splits(chain)))
        step("targets", sorted(chain.targets))
        tcp, _ = await client.discovery_chain.get("web", override_protocol="tcp")
        step("as tcp (a POST)", (tcp.protocol, tcp.start_node, tcp.customization_hash))
        await client.config.set(GRPC)
        changed, after = await client.discovery_chain.get("web", watch=(meta, "30s"))
        step("after the change", (changed.protocol, after.index > meta.index))
    finally:
        for entry in reversed(ENTRIES):
            await client.config.delete(entry["Kind"], "web")


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    for entry in ENTRIES:
        client.config.set(entry)
    try:
        chain, meta = client.discovery_chain.get("web")
        step("chain", (chain.protocol, chain.start_node, _splits(chain)))
        step("targets", sorted(chain.targets))
        tcp, _ = client.discovery_chain.get("web", override_protocol="tcp")
        step("as tcp (a POST)", (tcp.protocol, tcp.start_node, tcp.customization_hash))
        client.config.set(GRPC)
        changed, after = client.discovery_chain.get("web", watch=(meta, "30s"))
        step("after the change", (changed.protocol, after.index > meta.index))
    finally:
        for entry in reversed(ENTRIES):
            client.config.delete(entry["Kind"], "web")


if __name__ == "__main__":
    main(run_async, run_sync)
