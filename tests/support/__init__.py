"""Test machinery that the benchmarks use as well (a real app in a child process)."""
