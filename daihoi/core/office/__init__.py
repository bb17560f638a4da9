"""Office files: the one spreadsheet writer (xlsx, CSV) and the one Party-format DOCX builder."""
