"""Printed meeting reports: facts for an area and period, a static map, charts, HTML -> PDF."""
