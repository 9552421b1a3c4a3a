"""``python -m ipner finetune``: continue training a pipeline on newly annotated documents.

All data is validated first (located errors, nothing trained on bad data). Without ``--dev`` a
fifth of the new documents is kept for dev. The base model's weights are resumed, a rehearsal
sample of the original training corpus is mixed in, the checkpoint with the best entity, relation
and fact F on the new and the original dev documents is kept and its relation threshold retuned on
them, and the new pipeline is written atomically to ``--output`` with a before/after report
(``finetune_report.json``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    from ipner.data.importers import FORMATS
    from ipner.training.finetune_settings import FinetuneSettings

    defaults = FinetuneSettings()

    parser = sub.add_parser("finetune", help="fine-tune the shipped (or another) model on new annotations",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", nargs="+", required=True, metavar="FILE", help="new annotated documents")
    parser.add_argument("--format", choices=FORMATS, default="ipner", help="annotation format of --data and --dev (default ipner JSONL)")
    parser.add_argument("--base", help="pipeline to start from (default: the shipped model)")
    parser.add_argument("--dev", nargs="+", metavar="FILE", help="new dev documents (default: a fifth of --data)")
    parser.add_argument("--corpus", help="the original gold corpus for rehearsal and the original dev set (default: the one shipped with ipner)")
    parser.add_argument("-o", "--output", required=True, help="directory for the new pipeline (replaced atomically)")
    parser.add_argument("--rehearsal-ratio", type=float, default=defaults.rehearsal_ratio,
                        help=f"original training documents mixed in per new one (default {defaults.rehearsal_ratio:g})")
    parser.add_argument("--max-steps", type=int, default=defaults.max_steps, help=f"training steps (default {defaults.max_steps})")
    parser.add_argument("--seed", type=int, default=defaults.seed, help=f"random seed (default {defaults.seed})")
    parser.add_argument("-q", "--quiet", action="store_true", help="no training progress")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.cli.formatting import format_comparison
    from ipner.errors import AnnotationError, UsageError
    from ipner.pipeline.load import pipeline_path
    from ipner.resources import default_corpus_path
    from ipner.training.finetune import FinetuneSettings, finetune, load_new_data, split_dev

    base = pipeline_path(args.base)
    corpus = Path(args.corpus) if args.corpus else default_corpus_path()
    if corpus is None or not corpus.is_file():
        raise UsageError(f"the original corpus {corpus or '(not shipped)'} is missing; pass --corpus with ipner's gold JSONL")
    output = Path(args.output)
    if output.resolve() == base.resolve():
        raise UsageError("--output must differ from the base model")
    settings = FinetuneSettings(rehearsal_ratio=args.rehearsal_ratio, max_steps=args.max_steps, seed=args.seed)
    notes: list = []
    try:
        new = load_new_data(args.data, args.format, notes)
        new_train, new_dev = (new, load_new_data(args.dev, args.format, notes)) if args.dev else split_dev(new, settings.dev_fraction)
    except AnnotationError as err:
        print("ipner: error: the new data has problems; nothing was trained:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return err.exit_code
    for note in notes:
        print(f"ipner: note: {note}", file=sys.stderr)
    if not args.quiet:
        print(f"fine-tuning {base} on {len(new_train)} new documents (dev: {len(new_dev)} new), "
              f"rehearsal ratio {settings.rehearsal_ratio}, {settings.max_steps} steps", file=sys.stderr)
    try:
        report = finetune(base, new_train, new_dev, corpus, output, settings, quiet=args.quiet)
    except OSError as err:
        print(f"ipner: error: {err}; {output} was left as it was", file=sys.stderr)
        return 1
    for part, title in (("new_dev", "new dev documents"), ("original_dev", "original dev split")):
        if report[part]:
            print(f"\n{title} ({report[part]['before']['docs']} documents)")
            print(format_comparison({"before": report[part]["before"], "after": report[part]["after"]}))
    print(f"\nrelation threshold: {report['threshold']}; written: {output} (report: {output / 'finetune_report.json'})")
    return 0
