"""One `OfficialDocument` rendered three ways: .docx (python-docx), PDF (LibreOffice) and HTML."""
