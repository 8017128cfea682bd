"""Benchmarks: scripts that print their figures (see registration.py)."""
