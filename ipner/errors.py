"""ipner's exceptions: one class per kind of failure, each with the exit code the CLI gives it.

Exit codes of every command (documented in the README):

- 0: everything was processed;
- 1: some input (a file, a record, a gold corpus, a training run over it) failed; with several
  inputs the others were still processed;
- 2: the command cannot start: a usage error, an invalid option, or a model that will not load.

Library code raises these; the CLI turns them into one ``ipner: error: …`` line and the exit code.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "IpnerError",
    "UsageError",
    "ModelLoadError",
    "InputError",
    "InputNotFoundError",
    "DecodeError",
    "AnnotationError",
    "LocatedProblem",
    "TrainingError",
    "PackageError",
]

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2


class IpnerError(Exception):
    """A failure reported to the user as a message, without a traceback."""

    exit_code = EXIT_INPUT_FAILED


class UsageError(IpnerError, ValueError):
    """An invalid option or combination of options."""

    exit_code = EXIT_USAGE


class ModelLoadError(IpnerError, OSError):
    """A pipeline that cannot be found or loaded."""

    exit_code = EXIT_USAGE


class InputError(IpnerError, ValueError):
    """An input that cannot be read; the message names it."""


class InputNotFoundError(InputError):
    """An input path that does not exist."""


class DecodeError(InputError):
    """The input is not text in an encoding ipner reads (binary, undecodable, too large, a directory)."""


@dataclass(frozen=True)
class LocatedProblem:
    """One problem of an annotation file: where (``file:line``), what, and the unknown label if
    the problem is a label outside SCHEMA.md (so callers can summarise them without parsing text)."""

    where: str
    message: str
    unknown_label: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class AnnotationError(IpnerError, ValueError):
    """Annotations that break the gold format or SCHEMA.md; ``problems`` holds every located problem
    (:class:`LocatedProblem` or plain strings; ``str()`` of each is the line shown to the user)."""

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TrainingError(IpnerError):
    """Training or fine-tuning stopped (bad config, bad data); the output was left as it was."""


class PackageError(IpnerError):
    """A pipeline could not be packaged."""
