"""Bring your own data: the input layout, reading cells and numbers, the reader and validator,
the template (docs/data.md)."""
