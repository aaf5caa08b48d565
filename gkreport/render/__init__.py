"""Renderers: a checked table in the official layout, as pandoc elements, text or HTML, and the page around it."""
