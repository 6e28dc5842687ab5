"""Parts of benchmarks/soak.py: the deployment, the simulated users, the faults and the checks."""
