"""ipner's command line: ``python -m ipner <command>``.

Each command module only parses its arguments and calls the library. Exit codes (one policy, see
:mod:`ipner.errors`): 0 ok; 1 some input failed (the others were processed); 2 usage error or a
model that cannot be loaded; 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys

from ipner import __version__
from ipner.cli import (
    batch,
    bench,
    corpus,
    evaluate,
    finetune,
    import_annotations,
    info,
    package,
    predict,
    render,
    serve,
    table,
    train,
)

__all__ = ["main", "build_parser"]

COMMANDS = (predict, batch, table, render, serve, train, evaluate, finetune, package, bench, corpus, import_annotations, info)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
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
    """Run the command line; returns the exit code."""
    from ipner.errors import IpnerError

    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # Arguments after "--" are spaCy config overrides (--section.key value) for train and evaluate.
    overrides: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, overrides = argv[:split], argv[split + 1 :]
    args = parser.parse_args(argv)
    if overrides and not getattr(args, "accepts_overrides", False):
        parser.error(f"{args.command} takes no config overrides after --")
    args.overrides = overrides
    _exit_cleanly_on_sigterm()
    try:
        return args.run(args)
    except IpnerError as err:
        print(f"ipner: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("ipner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM raises SystemExit(143), so that partial output files are removed as on Ctrl-C."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():

        def terminate(signum, frame):
            raise SystemExit(128 + signum)

        signal.signal(signal.SIGTERM, terminate)
