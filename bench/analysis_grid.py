"""Benchmarks of the grid kernels (Gi*, KDE, binning); see analysis.py."""

BENCHES: list = []
