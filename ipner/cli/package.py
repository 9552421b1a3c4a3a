"""``python -m ipner package``: build an installable wheel of a trained pipeline (see :mod:`ipner.packaging`).

Example: ``python -m ipner package --output dist`` packages the shipped model as ``zh_ipner``;
``pip install`` the printed wheel, then ``spacy.load("zh_ipner")`` works without importing ipner.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    from ipner.packaging import DEFAULT_NAME

    parser = sub.add_parser("package", help="build an installable wheel (zh_ipner) of a trained pipeline",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="pipeline directory (default: the model shipped with ipner)")
    parser.add_argument("-o", "--output", required=True, help="directory for the package (created if missing)")
    parser.add_argument("--name", default=DEFAULT_NAME,
                        help=f"package name after the language prefix, giving zh_<name> (default: {DEFAULT_NAME})")
    parser.add_argument("--version", dest="package_version", metavar="X.Y.Z",
                        help="package version (default: the model's meta.json version, or ipner's if that is 0.0.0)")
    parser.add_argument("--force", action="store_true", help="replace an existing package directory of that version")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.packaging import build_package

    wheel = build_package(
        Path(args.model) if args.model else None, Path(args.output), name=args.name,
        version=args.package_version, force=args.force,
    )
    print(wheel)
    print(f"install with: pip install {wheel}; load with: spacy.load({wheel.name.split('-')[0]!r})", file=sys.stderr)
    return 0
