"""Writing files: one atomic-write helper, output/ swapped in whole, the no-op fingerprint."""
