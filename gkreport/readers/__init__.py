"""Readers that turn a published report (HTML, DOCX, PDF) into the document model, in process."""
