"""The prosecutor's triage map: filtered hotspots, concerns, heat and repeat addresses."""
