"""Readers: each turns one kind of input into a ``model.Document``."""
