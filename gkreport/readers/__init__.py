"""Readers: each turns one kind of input file into the document model (``gkreport.model.Document``)."""
