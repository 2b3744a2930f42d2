"""The benchmark runner's parts (``benchmarks/run.py`` drives them)."""
