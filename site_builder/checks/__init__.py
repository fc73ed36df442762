"""Checks across files: each campaign and its records, photos on disk, private data,
the campaign rules and the notice period."""
