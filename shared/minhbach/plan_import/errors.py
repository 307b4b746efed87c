"""The one error the importer raises: a Vietnamese message saying what is wrong and where."""

from __future__ import annotations


class ImportFailure(Exception):
    """The files cannot become a plan; `message` (Vietnamese) names the file, row and column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
