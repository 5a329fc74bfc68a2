"""Output writers: turn the document model into DOCX (and other formats)."""
