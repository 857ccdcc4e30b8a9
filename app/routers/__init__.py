"""Thin HTTP layer: parse, authorize, call one service, return a schema."""
