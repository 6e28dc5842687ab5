"""Exports of concerns and hotspots as CSV and GeoJSON, streamed in constant memory."""
