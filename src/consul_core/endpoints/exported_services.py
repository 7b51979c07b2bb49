"""Builder for the exported services (Consul 1.17.3+): ``/v1/exported-services``.

The services that ``exported-services`` config entries export to cluster peers and (with
Enterprise) other admin partitions, with their consumers resolved.
"""

from __future__ import annotations

from consul_core.call import Call
from consul_core.endpoints._common import indexed_read, model_list
from consul_core.endpoints._options import PartitionedReadOptions, Unpack, builder
from consul_core.meta import QueryMeta
from consul_core.models.exported_services import ResolvedExportedService

__all__ = ["exported_services"]


@builder
def exported_services(
    **options: Unpack[PartitionedReadOptions],
) -> Call[tuple[list[ResolvedExportedService], QueryMeta]]:
    """List the exported services and their consumers.

    Args:
        token: An ACL token for this call only (needs ``mesh:read`` or ``operator:read``).

    Returns:
        The services and the read's metadata.
    """
    path = "/v1/exported-services"
    return indexed_read(path, model_list(ResolvedExportedService), **options)
