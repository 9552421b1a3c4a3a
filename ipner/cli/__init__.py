"""ipner's command line: ``python -m ipner <command>``."""
from __future__ import annotations

import argparse
import sys

from ipner import __version__
from ipner.cli import corpus, import_annotations, info, predict

COMMANDS = (predict, corpus, import_annotations, info)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ipner",
        description="Structured facts from Chinese reports on intellectual-property statistics.",
    )
    parser.add_argument("--version", action="version", version=f"ipner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 some input failed, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("ipner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
