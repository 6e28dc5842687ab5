"""Staff pages: the ranked hotspot list and a hotspot's page with its workflow forms."""
