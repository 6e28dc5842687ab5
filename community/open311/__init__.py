"""Open311 GeoReport v2: the city's concerns shared with other systems and apps, nothing personal."""
