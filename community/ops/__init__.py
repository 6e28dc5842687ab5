"""What operators watch: readiness, Prometheus metrics, and when periodic work last ran."""
