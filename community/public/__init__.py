"""Public pages that need no login: home and health check."""
