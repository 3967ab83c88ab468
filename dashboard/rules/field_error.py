"""The one error type for bad input that can be pinned to a field, so forms, the CLI and importers can say
where to correct it."""

from __future__ import annotations


class FieldError(ValueError):
    """Bad input; `field` names the form field, CLI option or column at fault, the message what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
