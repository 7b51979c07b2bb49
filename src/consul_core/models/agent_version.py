"""Model of the agent's version (Consul 1.16+): ``/v1/agent/version``."""

from __future__ import annotations

from consul_core._codec import Model, field

__all__ = ["AgentVersion"]


class AgentVersion(Model, frozen=True):
    """The build of the Consul agent.

    Attributes:
        sha: The Git commit it was built from.
        build_date: When it was built (RFC 3339 text).
        human_version: Its version as ``consul version`` prints it (``"1.22.1+ent"``).
        fips: The FIPS 140 module it is built with, ``""`` for none.
    """

    sha: str = field(json="SHA", default="")
    build_date: str = ""
    human_version: str = ""
    fips: str = field(json="FIPS", default="")
