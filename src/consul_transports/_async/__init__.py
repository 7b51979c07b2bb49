"""The async driver and client, on anyio: one code path for asyncio and trio."""
