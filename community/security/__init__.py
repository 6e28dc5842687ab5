"""Hardening that applies to every response: headers, cache rules, strict parameters."""
