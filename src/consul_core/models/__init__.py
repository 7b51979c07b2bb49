"""Typed, frozen results of the Consul HTTP API, one module per endpoint group."""
