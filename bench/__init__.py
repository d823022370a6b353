"""Benchmarks and the synthetic databases they run on."""
