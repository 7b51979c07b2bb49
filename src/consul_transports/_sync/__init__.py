"""The sync driver and client."""
