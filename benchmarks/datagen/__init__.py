"""The benchmark data generator's stages (``benchmarks/generate.py`` runs them in order)."""
