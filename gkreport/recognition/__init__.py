"""Recognition: which official table a grid or a run of text is, and which cell is which."""
