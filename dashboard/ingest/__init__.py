"""Reading access logs and usage-event files: pure parsing and preparation, no database. The rows it
prepares are written by dashboard.imports.activity through data_access."""
