"""Residents' data kept only as long as needed: retention purge and erasure on request."""
