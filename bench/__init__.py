"""Benchmarks at national scale: `python bench/run.py` (or `make bench`) writes bench/results.md."""
