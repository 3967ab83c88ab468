"""File importers: validate the whole file first, then write valid rows in one transaction."""
