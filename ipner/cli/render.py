"""``python -m ipner render``: one HTML page showing entities, relations and facts of each input."""
from __future__ import annotations

import argparse
import sys

from ipner.cli.options import add_input_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    parser = sub.add_parser(
        "render",
        help="write an HTML page showing entities, relations and facts",
        description=(
            "Render report files as one self-contained HTML page: displaCy's entity view, relation arcs "
            "per paragraph and a table of facts for each document."
        ),
    )
    add_input_options(parser)
    parser.add_argument("-o", "--output", metavar="OUT.html", help="write the page to this file instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Render every readable input into one page; 1 when some input failed, 2 on usage errors."""
    from ipner.api import extract
    from ipner.cli.predict import check_run_options
    from ipner.files import open_output
    from ipner.cli.options import read_inputs
    from ipner.inputs import ErrorLog
    from ipner.pipeline.load import load
    from ipner.visualize import model_description, render_page

    check_run_options(args)
    nlp = load(args.model)
    errors = ErrorLog()
    inputs, documents = read_inputs(args, errors)
    results = ((r.id, r.text, r.entities, r.relations, r.facts) for r in extract(documents, nlp))
    with open_output(args.output, newline="\n") as out:
        render_page(out, model_description(args.model, nlp), results, errors.messages)
    if errors.count:
        print(f"ipner: {errors.count} input(s) failed; the others were rendered", file=sys.stderr)
        return 1
    return 0
