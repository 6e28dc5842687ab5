"""Hotspots: persisting clusters of concerns with an identity that survives reclusters."""
