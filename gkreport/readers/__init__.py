"""Readers: each turns one kind of input file into a ``gkreport.model.Document``."""
