"""Exports that an auditor can take away: CSV, XLSX, PDF and evidence packages."""
