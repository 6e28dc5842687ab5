"""Routing rules as data: which agency should own a hotspot, and which rule says so."""
