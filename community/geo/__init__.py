"""Pure geographic computation: city packages, geocoding, areas, clustering (no Flask, no db)."""
