"""Benchmarks of the event kernels (Knox near-repeat, space-time scan); see analysis.py."""

BENCHES: list = []
