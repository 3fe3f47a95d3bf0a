"""Errors a user can fix. The CLI prints them as ``Error: …`` and exits 2."""


class LlmkgError(Exception):
    """A problem with the user's input or arguments; never a bug in llmkg."""


class InputError(LlmkgError):
    """A file or argument could not be read or understood."""


class TurtleSyntaxError(InputError):
    """A data file is not valid Turtle; carries the file, line and column."""

    def __init__(self, file: str, line: int, column: int, reason: str):
        self.file, self.line, self.column, self.reason = file, line, column, reason
        super().__init__(f"{file}:{line}:{column}: Turtle syntax error: {reason}")


class QueryError(LlmkgError):
    """A SPARQL query could not be found, parsed or run."""
