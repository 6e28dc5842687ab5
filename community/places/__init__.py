"""Placing concerns: the city package for the app, area loading and the locate service."""
