"""The city's offline base layers (outline, areas, main roads) as small, cached GeoJSON."""
