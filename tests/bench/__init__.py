"""`make bench`: benchmarks of the production stack. Not collected by pytest (no test_*.py files here)."""
